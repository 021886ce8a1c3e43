package io.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code surge chaos --scenario secured-kafka}, small: a broker whose only client listener is
 * SASL_SSL with SCRAM-SHA-512; the job, {@code surge load} and {@code surge report} (child JVMs)
 * configured only through {@code surge.kafka.properties.*} in the job's YAML. PASS only when all
 * 300 requests have exactly one result, the report read them, and no log line of this JVM or of the
 * two commands (every logger at INFO) contains the SCRAM, keystore or truststore password, while
 * some lines show a password as {@code [hidden]} (the configuration dumps were read).
 */
class ChaosSecuredKafkaITCase {

  @Test
  void requestsFlowOverSaslSslAndNoLogLineHoldsASecret() {
    CliRun cli = new CliRun();

    int code =
        cli.run("chaos", "--scenario", "secured-kafka", "--requests", "300", "--rate", "100");

    String out = cli.out.toString();
    System.out.println(out);
    assertThat(code).as("%s%s", out, cli.err).isZero();
    String last = out.strip().lines().reduce((a, b) -> b).orElse("");
    assertThat(last)
        .startsWith("PASS secured-kafka: SASL_SSL/SCRAM-SHA-512; surge load sent 300 (exit 0);")
        .contains(
            "requests 300: missing 0, duplicated 0, unexpected 0",
            "report read 300 (exit 0)",
            "with a secret 0",
            "restarts 0");
  }
}
