package io.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** How the commands that talk to Kafka read its client settings. */
class KafkaClientOptionsTest {

  @TempDir Path dir;

  private KafkaClientOptions parse(String... args) {
    KafkaClientOptions options = new KafkaClientOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void aJobYamlGivesItsSurgeKafkaPropertiesWithoutThePrefixAndNothingElse() throws Exception {
    Path yaml = dir.resolve("scheduler.yaml");
    Files.writeString(
        yaml,
        String.join(
            "\n",
            "surge.kafka.bootstrap-servers: kafka-0:9093",
            "surge.topics.prefix: t.",
            "surge:",
            "  kafka:",
            "    properties:",
            "      security.protocol: SASL_SSL",
            "      sasl.mechanism: SCRAM-SHA-512",
            ""));

    KafkaClientOptions options = parse("--bootstrap", "b:9093", "--kafka-config", yaml.toString());

    assertThat(options.clientProperties())
        .containsOnlyKeys("security.protocol", "sasl.mechanism")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
  }

  @Test
  void aPropertiesFileIsReadAsIsAndCommandLinePropertiesWin() throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(file, "security.protocol=SSL\nssl.truststore.type=PEM\n");

    KafkaClientOptions options =
        parse(
            "--bootstrap",
            "b:9093",
            "--kafka-config",
            file.toString(),
            "--kafka-property",
            "security.protocol=SASL_SSL");

    assertThat(options.clientProperties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("ssl.truststore.type", "PEM");
  }
}
