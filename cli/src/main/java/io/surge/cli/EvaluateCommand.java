package io.surge.cli;

import io.surge.cli.train.Charts;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.engine.Calibration;
import io.surge.sim.engine.Simulator;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.catalog.Catalog;
import io.surge.train.LoadAverage;
import io.surge.train.Scenarios;
import io.surge.train.eval.EvaluationJson;
import io.surge.train.eval.EvaluationPlan;
import io.surge.train.eval.EvaluationResult;
import io.surge.train.eval.EvaluationTable;
import io.surge.train.eval.PolicyEvaluation;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code surge evaluate}: policies compared in the simulator on common random numbers. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Compares policies in the simulator on one workload, each on the same seeds.",
      "Per policy: effective accuracy (mean, 95 %% CI over seeds), the paired difference to the"
          + " best baseline, SLO attainment, shed rate, p99 and variant mix; policy models in"
          + " argmax and sampled mode. Prints a table; writes OUT/results.json, OUT/results.md"
          + " and OUT/effective-accuracy.png."
    })
final class EvaluateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--workload",
      paramLabel = "SPEC",
      description = "Workload spec, e.g. mmpp:rates=100/600,dwell=30/8.")
  String workload;

  @Option(
      names = "--scenario",
      paramLabel = "NAME",
      description =
          "Instead of --workload and --disturb: an evaluation scenario of issue 7 in units of the"
              + " calibration's capacity C: E1, E2, E3, E4 or S.")
  String scenario;

  @Option(
      names = "--calibration",
      paramLabel = "FILE",
      description = "Simulator calibration JSON (default: the shipped one).")
  Path calibration;

  @Option(
      names = "--scale",
      paramLabel = "K",
      defaultValue = "1",
      description =
          "Every execution takes K times the calibration's profile (a slower site, as the demo's"
              + " emulated servers); the scheduler's profile and scenario units scale with it"
              + " (default: ${DEFAULT-VALUE}).")
  double scale;

  @Option(
      names = "--disturb",
      paramLabel = "SPEC",
      description = "Disturbances, e.g. slowdown:server=1,factor=3,at=20,for=20,every=60.")
  String disturb;

  @Option(
      names = "--policies",
      split = ",",
      defaultValue = "largest,smallest,greedy-slo,threshold",
      description =
          "Baselines by name (fixed:VARIANT serves one variant always), learned (deploy/policies/default.onnx), oracle"
              + " (deploy/policies/oracle.onnx) or FILE.onnx (default: ${DEFAULT-VALUE}).")
  List<String> policies;

  @Option(
      names = "--seeds",
      defaultValue = "10",
      description = "Scenario seeds, the same for every policy (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(
      names = "--first-seed",
      defaultValue = "1",
      description = "Seeds run from this one up (default: ${DEFAULT-VALUE}).")
  long firstSeed;

  @Option(
      names = "--seconds",
      defaultValue = "120",
      description = "Simulated seconds of arrivals per seed (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--threads",
      defaultValue = "2",
      description = "Runs in parallel; results do not depend on it (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--shipped-policies",
      defaultValue = "deploy/policies",
      paramLabel = "DIR",
      description = "Where learned and oracle are found (default: ${DEFAULT-VALUE}).")
  Path shipped;

  @Option(
      names = "--out",
      defaultValue = "out/evaluate",
      paramLabel = "DIR",
      description = "Where results.json, results.md and the plot go (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws Exception {
    EvaluationResult result = PolicyEvaluation.run(plan());
    String table = EvaluationTable.markdown(result);
    Files.createDirectories(out);
    Files.writeString(
        out.resolve("results.json"), EvaluationJson.write(result, LoadAverage.oneMinute()));
    Files.writeString(out.resolve("results.md"), table);
    Charts.effectiveAccuracy(result, out.resolve("effective-accuracy.png"));
    PrintWriter w = spec.commandLine().getOut();
    w.print(table);
    w.printf("wrote %s%n", out.resolve("results.json"));
    w.flush();
    return 0;
  }

  /** The plan from the options; a bad spec or value is a usage error. */
  EvaluationPlan plan() {
    try {
      Catalog catalog = Calibration.defaultCatalog();
      SimulatorConfig simulator =
          SimulatorConfig.of(
                  catalog,
                  catalog.services().get(0).name(),
                  calibration == null ? Calibration.defaults() : Calibration.read(calibration))
              .withLatencyScale(scale);
      if ((workload == null) == (scenario == null) || (scenario != null && disturb != null)) {
        throw new IllegalArgumentException("give --workload [--disturb] or --scenario");
      }
      String workloadSpec = workload;
      String disturbSpec = disturb;
      if (scenario != null) {
        Scenarios.Entry entry = Scenarios.of(scenario, new Simulator(simulator).latency()).get(0);
        workloadSpec = entry.workload();
        disturbSpec = entry.disturbances();
      }
      return new EvaluationPlan(
          simulator,
          WorkloadSpec.parse(workloadSpec),
          disturbSpec == null ? DisturbanceSpec.NONE : DisturbanceSpec.parse(disturbSpec),
          policies,
          seeds,
          firstSeed,
          seconds,
          shipped,
          threads);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
