package io.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code surge chaos --scenario server-faults}, small: three emulated servers, one down, one ten
 * times slower, one answering 500, 4 s each, under 100 requests/s on a real broker against the real
 * job. The command says PASS only when every request has exactly one result, FAILED results come
 * only from the down and the erroring server within their windows, the scheduler routed around both
 * and served from them again afterwards, and the job never restarted.
 */
class ChaosServerFaultsITCase {

  @Test
  void everyRequestEndsInOneResultAndTheSchedulerRoutesAroundEachFault() {
    CliRun cli = new CliRun();

    int code =
        cli.run("chaos", "--scenario", "server-faults", "--fault-seconds", "4", "--rate", "100");

    String out = cli.out.toString();
    System.out.println(out);
    assertThat(code).as("%s%s", out, cli.err).isZero();
    String last = out.strip().lines().reduce((a, b) -> b).orElse("");
    assertThat(last)
        .startsWith("PASS server-faults: requests ")
        .contains(
            "missing 0, duplicated 0, unexpected 0",
            "FAILED outside a fault 0",
            "outage edge-0",
            "errors edge-2",
            "restarts 0");
  }
}
