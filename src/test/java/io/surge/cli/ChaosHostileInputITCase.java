package io.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code surge chaos --scenario hostile-input}, small: 100 malformed records of every kind among
 * 1,000 valid requests on a real broker against the real job; the command itself checks every
 * record and says PASS only when in = results + dead letters, each valid id has one result, each
 * invalid record one dead letter with its reason, and the job never restarted.
 */
class ChaosHostileInputITCase {

  @Test
  void everyHostileRecordEndsInOneDeadLetterAndTheJobNeverRestarts() {
    CliRun cli = new CliRun();

    int code =
        cli.run(
            "chaos",
            "--scenario",
            "hostile-input",
            "--valid",
            "1000",
            "--malformed",
            "100",
            "--rate",
            "300");

    String out = cli.out.toString();
    System.out.println(out);
    assertThat(code).as("%s%s", out, cli.err).isZero();
    String last = out.strip().lines().reduce((a, b) -> b).orElse("");
    assertThat(last)
        .startsWith("PASS hostile-input: in 1100 = results ")
        .contains("missing 0, duplicated 0, unexpected 0", "wrong reason 0", "restarts 0");
  }
}
