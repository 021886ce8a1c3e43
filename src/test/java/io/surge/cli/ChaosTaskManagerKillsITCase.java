package io.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code surge chaos --scenario task-manager-kills}, small: the job on a real multi-process cluster
 * (JobManager and TaskManager JVMs, submitted with {@code flink run -d}), its TaskManager SIGKILLed
 * twice while 3,000 requests arrive, once during a checkpoint; PASS only when every request id has
 * exactly one read_committed result and the job runs again after each kill.
 */
class ChaosTaskManagerKillsITCase {

  @Test
  void everyRequestHasExactlyOneResultAcrossTwoKills() {
    CliRun cli = new CliRun();

    int code =
        cli.run(
            "chaos",
            "--scenario",
            "task-manager-kills",
            "--requests",
            "3000",
            "--kills",
            "2",
            "--rate",
            "150");

    String out = cli.out.toString();
    System.out.println(out);
    assertThat(code).as("%s%s", out, cli.err).isZero();
    String last = out.strip().lines().reduce((a, b) -> b).orElse("");
    assertThat(last)
        .startsWith(
            "PASS task-manager-kills: requests 3000 (refused 0): results 3000 ids, missing 0,"
                + " duplicated 0, unexpected 0, dead letters 0; kills 2 (")
        .contains("job RUNNING");
    assertThat(out)
        .contains(
            "kill 1: SIGKILL taskmanager-tm-0",
            "kill 2: SIGKILL taskmanager-tm-1",
            "during checkpoint");
  }
}
