package io.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.cli.chaos.Scenario;
import org.junit.jupiter.api.Test;

/** {@code surge chaos}: its help and the answers that need no broker. */
class ChaosCommandTest {

  private final CliRun cli = new CliRun();

  @Test
  void helpListsEveryScenarioOfTheIssue() {
    assertThat(cli.run("chaos", "--help")).isZero();
    assertThat(cli.out.toString())
        .startsWith("Usage: surge chaos")
        .contains(
            "task-manager-kills",
            "hostile-input",
            "server-faults",
            "bad-policies",
            "soak",
            "savepoint-upgrade",
            "schema-evolution",
            "secured-kafka");
    for (Scenario s : Scenario.values()) {
      String line =
          cli.out.toString().lines().filter(l -> l.contains(s.cliName())).findFirst().orElseThrow();
      assertThat(line).contains("implemented").doesNotContain("not implemented");
    }
  }

  @Test
  void anUnknownScenarioIsNamed() {
    assertThat(cli.run("chaos", "--scenario", "meteor")).isEqualTo(1);
    assertThat(cli.err.toString()).contains("unknown scenario 'meteor'", "hostile-input");
  }
}
