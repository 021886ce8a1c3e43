package io.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code surge chaos --scenario savepoint-upgrade}, small: 1,000 requests at 100/s on a real
 * broker; halfway the job is stopped with a savepoint and a changed job (another built-in policy,
 * half the invoker capacity, every uid kept) started from it. PASS only when every request has
 * exactly one read_committed result across the upgrade, the changed job decided the later ones with
 * its own policy, and it never restarted.
 */
class ChaosSavepointUpgradeITCase {

  @Test
  void noRequestIsLostOrDuplicatedAcrossAStopWithSavepointAndAChangedJob() {
    CliRun cli = new CliRun();

    int code =
        cli.run("chaos", "--scenario", "savepoint-upgrade", "--requests", "1000", "--rate", "100");

    String out = cli.out.toString();
    System.out.println(out);
    assertThat(code).as("%s%s", out, cli.err).isZero();
    String last = out.strip().lines().reduce((a, b) -> b).orElse("");
    assertThat(last)
        .startsWith(
            "PASS savepoint-upgrade: requests 1000: missing 0, duplicated 0, unexpected 0;"
                + " dead letters 0;")
        .contains("not by its policy 0", "job RUNNING, restarts 0");
  }
}
