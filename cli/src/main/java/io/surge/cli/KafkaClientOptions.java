package io.surge.cli;

import io.surge.jobs.config.JobConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** How a command reaches a Kafka cluster: bootstrap servers plus passed-through client settings. */
final class KafkaClientOptions {

  @Option(
      names = "--bootstrap",
      required = true,
      description = "Kafka bootstrap servers, e.g. kafka-0:9092")
  String bootstrap;

  @Option(
      names = "--kafka-property",
      description =
          "A Kafka client property passed through (repeatable), e.g. security.protocol=SASL_SSL")
  Map<String, String> properties = Map.of();

  @Option(
      names = "--kafka-config",
      description =
          "A Kafka client properties file (SASL/SSL settings and the like), or the job's"
              + " scheduler.yaml (.yaml/.yml: its surge.kafka.properties.* keys), so that secrets"
              + " live in one file and never on a command line")
  Path configFile;

  Properties clientProperties() {
    Properties props = new Properties();
    if (configFile != null && isYaml(configFile)) {
      props.putAll(
          JobConfig.kafkaProperties(
              JobConfig.fromArgs(new String[] {"--config", configFile.toString()})));
    } else if (configFile != null) {
      try (Reader in = Files.newBufferedReader(configFile)) {
        props.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + configFile, e);
      }
    }
    props.putAll(properties);
    return props;
  }

  private static boolean isYaml(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  /** Admin client settings: the pass-through properties plus the bootstrap servers. */
  Properties adminProperties() {
    Properties props = clientProperties();
    props.put("bootstrap.servers", bootstrap);
    return props;
  }
}
