package io.surge.train.online;

import io.surge.policy.onnx.OnnxPolicy;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.engine.Calibration;
import io.surge.sim.engine.Scenario;
import io.surge.sim.engine.Simulator;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.sim.workload.ArrivalProcess;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.EstimatorSettings;
import io.surge.state.LatencyTable;
import io.surge.state.ServiceTopology;
import io.surge.state.catalog.Catalog;
import io.surge.train.LoadAverage;
import io.surge.train.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The learning cycle after a drift, in the simulator alone: the arrivals of a scenario's workload
 * (drawn from its process, as the job would log them) and completions drawn as the job would see
 * them with one server {@code factor} times slower than the profile, then {@code cycles} cycles of
 * the online learner with its default budgets from the shipped policy. Prints each cycle's outcome:
 * the live factors, the fitted workload, the guard's figures, and the times. The completions are
 * synthetic (a lone request's overheads from the calibration plus execution) unless the experience
 * is simulated (below); the real-parts version of this is {@code surge demo --drift}.
 *
 * <pre>{@code
 * java -cp ... io.surge.train.online.DriftCycleBenchmark [cycles=2] [factor=3] [scenario=E2] [out]
 *     [guard seconds=60] [burn-in seconds=0] [privileged critic=true] [logged epochs=0]
 *     [experience=synthetic|argmax|sample]
 * }</pre>
 *
 * <p>{@code synthetic}: arrivals without observations and drawn completions (the first
 * measurements); {@code argmax} or {@code sample}: 120 s of the shipped policy on the drifted site
 * in the simulator, in that serving mode, logged as the job logs it ({@link SimulatedExperience}),
 * which PPO on logged decisions needs.
 */
public final class DriftCycleBenchmark {

  private DriftCycleBenchmark() {}

  public static void main(String[] args) throws Exception {
    int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    double factor = args.length > 1 ? Double.parseDouble(args[1]) : 3;
    String scenario = args.length > 2 ? args[2] : "E2";
    Path out = Path.of(args.length > 3 ? args[3] : "out/drift-cycle");
    // the guard's scenario length: the default 60 s, or short ones that stay in the transient
    // from an empty site, which is all a candidate's training budget covers (DESIGN.md section 10)
    double guardSeconds =
        args.length > 4 ? Double.parseDouble(args[4]) : LearnerSettings.defaults().guardSeconds();
    Files.createDirectories(out);
    Calibration base = Calibration.defaults();
    Catalog catalog = Calibration.defaultCatalog();
    String service = catalog.services().get(0).name();
    LatencyTable latency = LatencyTable.from(base.profile(), ServiceTopology.of(catalog, service));
    WorkloadSpec workload = WorkloadSpec.parse(Scenarios.of(scenario, latency).get(0).workload());
    Path running = out.resolve("running.onnx");
    Files.copy(
        Path.of("deploy", "policies", "default.onnx"),
        running,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    boolean privileged = args.length <= 6 || Boolean.parseBoolean(args[6]);
    int loggedEpochs = args.length > 7 ? Integer.parseInt(args[7]) : 0;
    String experience = args.length > 8 ? args[8] : "synthetic";
    AtomicLong versions = new AtomicLong(1);
    OnlineLearner learner =
        new OnlineLearner(
            catalog,
            service,
            base,
            EstimatorSettings.defaults(),
            LearnerSettings.defaults()
                .withGuardSeconds(guardSeconds)
                .withBurnInSeconds(args.length > 5 ? Double.parseDouble(args[5]) : 0)
                .withPrivilegedCritic(privileged)
                .withLoggedEpochs(LearnerSettings.defaults().loggedCriticEpochs(), loggedEpochs),
            running,
            out,
            candidate -> versions.incrementAndGet()); // no job here: versions counted
    // every PPO update's sampled reward and entropy: what fine-tuning does to the stochastic policy
    learner.trainingListener(
        r ->
            System.out.printf(
                Locale.ROOT,
                "  update %d: sampled reward/decision %.4f, entropy %.3f, kl %.5f, clip %.3f,"
                    + " value loss %.4f%n",
                r.updates(),
                r.meanRewardPerDecision(),
                r.entropy(),
                r.approximateKl(),
                r.clipFraction(),
                r.valueLoss()));
    long start = 1_000_000;
    int id = 0;
    if (experience.equals("synthetic")) {
      id = feedSynthetic(learner, workload, factor, base, catalog, service, start);
    } else {
      // the shipped policy in the drifted site, logged as the job would log it
      OnnxPolicy.Mode mode = OnnxPolicy.Mode.valueOf(experience.toUpperCase(Locale.ROOT));
      SimulatorConfig site =
          SimulatorConfig.of(catalog, service, base).withEstimators(EstimatorSettings.defaults());
      Simulator probe = new Simulator(site);
      DisturbanceSpec drift =
          DisturbanceSpec.parse("slowdown:server=edge-1,factor=" + factor + ",at=0");
      try (OnnxPolicy policy =
          OnnxPolicy.load(
              Files.readAllBytes(running),
              probe.spec(),
              probe.topology().actionNames(),
              OnnxPolicy.Options.defaults().withMode(mode))) {
        SimulatedExperience.Log log =
            SimulatedExperience.record(
                site, new Scenario(workload, drift, 120, 1), policy, 1, start);
        log.decisions().forEach(learner::observe);
        log.completions().forEach(learner::observe);
        log.executions().forEach(learner::observe);
        id = log.decisions().size();
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%s: scenario %s (%s), edge-1 x%.1f, %d decisions in 120 s; load average %.2f%n",
        Instant.now(),
        scenario,
        workload.toSpec(),
        factor,
        id,
        LoadAverage.oneMinute());
    for (int c = 0; c < cycles; c++) {
      CycleOutcome o = learner.cycle();
      System.out.printf(
          Locale.ROOT,
          "cycle %d %s: %s; fitted %s; live %s; trained %.1f s, judged %.1f s | %s%n",
          c + 1,
          o.status(),
          o.reason(),
          o.workload() == null ? "-" : o.workload().toSpec(),
          o.calibration(),
          o.trainingSeconds(),
          o.guardSeconds(),
          learner.counters());
    }
    System.out.printf(
        Locale.ROOT, "%s: load average %.2f%n", Instant.now(), LoadAverage.oneMinute());
  }

  /**
   * E2-like arrivals as logged decisions without observations (enough for the arrival pattern, not
   * for PPO on them) and 200 completions per server and variant drawn from the calibration's
   * overheads plus execution, {@code edge-1} {@code factor} times slower; returns the decisions.
   */
  private static int feedSynthetic(
      OnlineLearner learner,
      WorkloadSpec workload,
      double factor,
      Calibration base,
      Catalog catalog,
      String service,
      long start) {
    ArrivalProcess arrivals = workload.newProcess(1);
    int id = 0;
    for (double t = arrivals.nextArrival(); t < 120; t = arrivals.nextArrival()) {
      long at = start + Math.round(t * 1000);
      learner.observe(
          new LoggedDecision(
              "r" + id++, service, 1, "", new float[0], new float[0], 0, 1, 0, at, at));
    }
    SplittableRandom random = new SplittableRandom(2);
    for (Catalog.Server server : catalog.servers()) {
      double k = server.name().equals("edge-1") ? factor : 1;
      for (Catalog.Variant v : catalog.service(service).variants()) {
        double execution = base.profile().medianMs(server.name(), v.model(), 1) * k;
        for (int i = 0; i < 200; i++) {
          double ms =
              base.creationToDecision().valueAt(random.nextDouble())
                  + base.protocolOverhead().valueAt(random.nextDouble())
                  + execution * (1 + 0.3 * random.nextDouble())
                  + 2 * random.nextDouble();
          learner.observe(
              new ObservedCompletion("c" + i, service, server.name(), v.name(), "OK", ms, 0));
        }
      }
    }
    return id;
  }
}
