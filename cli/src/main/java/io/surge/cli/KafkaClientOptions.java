package io.surge.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
      description = "A Kafka client properties file (SASL/SSL settings and the like)")
  Path configFile;

  Properties clientProperties() {
    Properties props = new Properties();
    if (configFile != null) {
      try (Reader in = Files.newBufferedReader(configFile)) {
        props.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + configFile, e);
      }
    }
    props.putAll(properties);
    return props;
  }

  /** Admin client settings: the pass-through properties plus the bootstrap servers. */
  Properties adminProperties() {
    Properties props = clientProperties();
    props.put("bootstrap.servers", bootstrap);
    return props;
  }
}
