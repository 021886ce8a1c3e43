package io.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code surge chaos --scenario bad-policies}, small: eleven bad policy updates around one good one
 * while 1,000 requests flow; PASS only when each bad update has one dead letter with its reason,
 * the good one decides the later requests, every request has one result and the job never
 * restarted.
 */
class ChaosBadPoliciesITCase {

  @Test
  void badPoliciesAreRejectedOnceAndTheGoodOneStays() {
    CliRun cli = new CliRun();

    int code =
        cli.run("chaos", "--scenario", "bad-policies", "--requests", "1000", "--rate", "200");

    String out = cli.out.toString();
    System.out.println(out);
    assertThat(code).as("%s%s", out, cli.err).isZero();
    String last = out.strip().lines().reduce((a, b) -> b).orElse("");
    assertThat(last)
        .startsWith("PASS bad-policies: in 1012 = results 1000 + dead letters 11 + taken 1 (equal)")
        .contains("wrong reason 0", "rejected 0", "restarts 0");
  }
}
