package io.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code surge chaos --scenario schema-evolution}, small: 500 records from three producers on three
 * writer schemas, on a real broker against the real job. PASS only when every request of the
 * released older (v1) and newer (v2, an added optional field) writers has exactly one result, every
 * record of the unreleased v3 exactly one dead letter with its reason, and the job never restarted.
 */
class ChaosSchemaEvolutionITCase {

  @Test
  void olderAndNewerReleasedWritersAreReadAndAnUnreleasedOneIsDeadLettered() {
    CliRun cli = new CliRun();

    int code =
        cli.run("chaos", "--scenario", "schema-evolution", "--requests", "500", "--rate", "200");

    String out = cli.out.toString();
    System.out.println(out);
    assertThat(code).as("%s%s", out, cli.err).isZero();
    String last = out.strip().lines().reduce((a, b) -> b).orElse("");
    assertThat(last)
        .startsWith("PASS schema-evolution: v1 250 + v2 200 requests: requests 450: missing 0,")
        .contains(
            "duplicated 0, unexpected 0",
            "v3 50 records: dead letters missing 0, duplicated 0, wrong reason 0, unexpected 0",
            "restarts 0");
  }
}
