package io.surge.cli;

import io.surge.cli.chaos.BadPolicies;
import io.surge.cli.chaos.ChaosOutcome;
import io.surge.cli.chaos.HostileInput;
import io.surge.cli.chaos.SavepointUpgrade;
import io.surge.cli.chaos.Scenario;
import io.surge.cli.chaos.SchemaEvolution;
import io.surge.cli.chaos.SecuredKafka;
import io.surge.cli.chaos.ServerFaults;
import io.surge.cli.chaos.Soak;
import io.surge.cli.chaos.TaskManagerKills;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.commons.io.FileUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code surge chaos --scenario NAME|all}: the reliability scenarios of issue 12 on real parts.
 * Each prints what it did and a last line {@code PASS|FAIL <scenario>: <figures>}; the command
 * exits 1 when a promise did not hold.
 */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description = {
      "Reliability scenarios on real parts (an in-process KRaft broker, embedded inference servers,"
          + " the scheduling job on a Flink MiniCluster): each does something hostile, counts every"
          + " record in and out (read_committed) and prints PASS or FAIL with its figures; exit 1"
          + " on FAIL.",
      "",
      "Scenarios (issue 12):",
      "  task-manager-kills  R1  implemented: the TaskManager SIGKILLed under load on a"
          + " multi-process cluster",
      "  hostile-input       R2  implemented: malformed records among valid ones",
      "  server-faults       R3  implemented: servers down, 10x slow, 5xx in turn",
      "  bad-policies        R4  implemented: bad policy updates under load",
      "  soak                R5  implemented: --minutes (default 30) at 70 % of the measured"
          + " capacity; heap, checkpoint size and pending decisions sampled every minute",
      "  savepoint-upgrade       implemented: stop-with-savepoint under load, a changed job"
          + " started from it",
      "  schema-evolution        implemented: v1 and v2 writers read, unreleased v3 dead-lettered",
      "  secured-kafka           implemented: SASL_SSL/SCRAM broker, job, surge load and readers"
          + " configured by surge.kafka.properties.*; no secret in any log line",
      "  all                     every scenario in turn",
      ""
    })
public final class ChaosCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--scenario",
      required = true,
      paramLabel = "NAME|all",
      description = "the scenario to run, or all")
  String scenario;

  @Option(
      names = "--valid",
      description = "hostile-input: valid requests (default: ${DEFAULT-VALUE})")
  int valid = HostileInput.Options.defaults().valid();

  @Option(
      names = "--malformed",
      description = "hostile-input: malformed records mixed in (default: ${DEFAULT-VALUE})")
  int malformed = HostileInput.Options.defaults().malformed();

  @Option(
      names = "--requests",
      description =
          "bad-policies: requests sent while the updates arrive (default: 3000);"
              + " schema-evolution: requests sent (default: 3000);"
              + " savepoint-upgrade: requests sent across the upgrade (default: 6000);"
              + " secured-kafka: requests surge load sends (default: 2000);"
              + " task-manager-kills: requests sent while the kills happen (default: 50000)")
  Integer requests;

  @Option(
      names = "--kills",
      description = "task-manager-kills: SIGKILLs of the TaskManager (default: ${DEFAULT-VALUE})")
  int kills = TaskManagerKills.Options.defaults().kills();

  @Option(
      names = "--rate",
      description =
          "records per second sent to the requests topic (default: 400; soak: 70 % of the"
              + " capacity it measures first)")
  Double rate;

  @Option(
      names = "--minutes",
      description = "soak: how long the steady load lasts (default: ${DEFAULT-VALUE})")
  double minutes = Soak.Options.defaults().minutes();

  @Option(
      names = "--fault-seconds",
      description = "server-faults: how long each fault lasts (default: ${DEFAULT-VALUE})")
  double faultSeconds = ServerFaults.Options.defaults().faultSeconds();

  @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
  long seed = HostileInput.Options.defaults().seed();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<Scenario> scenarios =
        scenario.trim().equalsIgnoreCase("all")
            ? Arrays.asList(Scenario.values())
            : List.of(Scenario.of(scenario));
    boolean all = scenarios.size() > 1;
    List<ChaosOutcome> outcomes = new ArrayList<>();
    for (Scenario s : scenarios) {
      out.println("== " + s.cliName() + ": " + s.summary());
      out.flush();
      ChaosOutcome outcome = run(s, out);
      outcomes.add(outcome);
      out.println(outcome.line());
      out.flush();
    }
    if (all) {
      out.println(
          "chaos all: "
              + outcomes.stream()
                  .map(o -> (o.passed() ? "PASS " : "FAIL ") + o.scenario())
                  .collect(Collectors.joining(", ")));
      out.flush();
    }
    return outcomes.stream().allMatch(ChaosOutcome::passed) ? 0 : 1;
  }

  private static Consumer<String> log(PrintWriter out) {
    return line -> {
      out.println(line);
      out.flush();
    };
  }

  /** {@code --requests} when given, else the scenario's own default. */
  private int requestsOr(int scenarioDefault) {
    return requests == null ? scenarioDefault : requests;
  }

  private ChaosOutcome run(Scenario s, PrintWriter out) throws Exception {
    double rate = this.rate == null ? HostileInput.Options.defaults().rate() : this.rate;
    Consumer<String> log = log(out);
    Path dir = Files.createTempDirectory("surge-chaos-");
    try {
      return switch (s) {
        case HOSTILE_INPUT ->
            new HostileInput(new HostileInput.Options(valid, malformed, rate, seed), log).run(dir);
        case SERVER_FAULTS ->
            new ServerFaults(new ServerFaults.Options(faultSeconds, rate, seed), log).run(dir);
        case SCHEMA_EVOLUTION ->
            new SchemaEvolution(
                    new SchemaEvolution.Options(
                        requestsOr(SchemaEvolution.Options.defaults().requests()), rate),
                    log)
                .run(dir);
        case SAVEPOINT_UPGRADE ->
            new SavepointUpgrade(
                    new SavepointUpgrade.Options(
                        requestsOr(SavepointUpgrade.Options.defaults().requests()),
                        rate,
                        SavepointUpgrade.Options.defaults().upgradeAt()),
                    log)
                .run(dir);
        case SECURED_KAFKA ->
            new SecuredKafka(
                    new SecuredKafka.Options(
                        requestsOr(SecuredKafka.Options.defaults().requests()), rate),
                    log)
                .run(dir);
        case SOAK -> new Soak(new Soak.Options(minutes, this.rate), log).run(dir);
        case BAD_POLICIES ->
            new BadPolicies(
                    new BadPolicies.Options(
                        requestsOr(BadPolicies.Options.defaults().requests()), rate, seed),
                    log)
                .run(dir);
        case TASK_MANAGER_KILLS ->
            new TaskManagerKills(
                    new TaskManagerKills.Options(
                        requestsOr(TaskManagerKills.Options.defaults().requests()),
                        kills,
                        rate,
                        seed),
                    log)
                .run(dir);
      };
    } finally {
      try {
        FileUtils.deleteDirectory(dir.toFile());
      } catch (IOException e) {
        out.println("  could not delete " + dir + ": " + e.getMessage());
      }
    }
  }
}
