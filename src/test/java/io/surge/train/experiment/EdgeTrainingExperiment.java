package io.surge.train.experiment;

import io.surge.policy.SchedulingPolicy;
import io.surge.policy.baseline.Policies;
import io.surge.policy.onnx.OnnxPolicy;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.disturb.RandomDisturbances;
import io.surge.sim.engine.Scenario;
import io.surge.sim.engine.Simulator;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.sim.env.EdgeServingEnvironment;
import io.surge.sim.env.EnvironmentConfig;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.metrics.Scoreboard;
import io.surge.train.export.PolicyExporter;
import io.surge.train.ppo.PpoConfig;
import io.surge.train.ppo.PpoTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Scratch: train on the edge simulator and compare with baselines on E1-like workloads. */
public final class EdgeTrainingExperiment {

  public static void main(String[] args) throws Exception {
    long steps = Long.parseLong(args.length > 0 ? args[0] : "300000");
    int history = Integer.parseInt(args.length > 1 ? args[1] : "4");
    String out = args.length > 2 ? args[2] : "/tmp/exp-policy.onnx";
    double c = 1835;
    SimulatorConfig sim =
        SimulatorConfig.defaults()
            .withEstimators(io.surge.state.EstimatorSettings.defaults().withHistoryLength(history));
    List<WorkloadSpec> train = new ArrayList<>();
    for (String w :
        List.of(
            mmpp(c, 0.4, 1.8, 20, 5),
            mmpp(c, 0.3, 2.5, 30, 3),
            mmpp3(c, 0.3, 1.0, 2.2, 30, 10, 4),
            mmpp(c, 0.6, 1.2, 15, 15))) {
      train.add(WorkloadSpec.parse(w));
    }
    double late = Double.parseDouble(System.getProperty("late", "0"));
    SimulatorConfig trainingSim = sim.withRewards(new io.surge.state.Rewards(0, late, late));
    EnvironmentConfig env =
        new EnvironmentConfig(
            trainingSim, train, DisturbanceSpec.NONE, RandomDisturbances.defaults(), 30);
    PpoConfig cfg =
        PpoConfig.defaults().toBuilder()
            .rewardScale(0.01)
            .epochs(Integer.getInteger("epochs", 4))
            .environments(Integer.getInteger("envs", 16))
            .rolloutDecisions(Integer.getInteger("rollout", 256))
            .minibatchSize(Integer.getInteger("minibatch", 512))
            .gamma(Double.parseDouble(System.getProperty("gamma", "0.99")))
            .entropyCoefficient(Double.parseDouble(System.getProperty("ent", "0.01")))
            .learningRate(Double.parseDouble(System.getProperty("lr", "3e-4")))
            .build();
    System.out.println(cfg);
    PpoTrainer trainer = new PpoTrainer(() -> new EdgeServingEnvironment(env), cfg, 7);
    long t0 = System.nanoTime();
    String teacher = System.getProperty("teacher");
    if (teacher != null) {
      List<Scenario> episodes = new ArrayList<>();
      long seed = 100;
      for (WorkloadSpec w : train) {
        for (int k = 0; k < 2; k++) {
          seed++;
          DisturbanceSpec d =
              k == 0 ? DisturbanceSpec.NONE : RandomDisturbances.defaults().draw(seed, 2, 30);
          episodes.add(new Scenario(w, d, 30, seed));
        }
      }
      io.surge.train.ppo.Demonstrations demos =
          io.surge.train.TeacherDemonstrations.record(
              trainingSim,
              sm -> Policies.byName(teacher, sm.topology(), sm.latency()),
              episodes,
              cfg.gamma(),
              cfg.rewardScale());
      System.out.printf(
          "recorded %d decisions in %.0f s%n", demos.size(), (System.nanoTime() - t0) / 1e9);
      double ce = trainer.imitate(demos, Integer.getInteger("bcEpochs", 3), 1e-3);
      System.out.printf(
          "imitated: cross-entropy %.4f after %.0f s%n", ce, (System.nanoTime() - t0) / 1e9);
      EdgeServingEnvironment p0 = new EdgeServingEnvironment(env);
      Files.write(
          Path.of(out + ".bc.onnx"),
          PolicyExporter.writer(
                  trainer.networks(), p0.spec(), p0.simulator().topology().actionNames())
              .version(1)
              .toBytes());
    }
    trainer.train(
        steps,
        Duration.ofMinutes(20),
        r ->
            System.out.printf(
                Locale.ROOT,
                "update %d steps %d reward %.4f entropy %.3f kl %.4f vloss %.4f %.0fs%n",
                r.updates(),
                r.environmentSteps(),
                r.meanRewardPerDecision(),
                r.entropy(),
                r.approximateKl(),
                r.valueLoss(),
                r.elapsedSeconds()));
    System.out.printf("trained in %.0f s%n", (System.nanoTime() - t0) / 1e9);
    EdgeServingEnvironment probe = new EdgeServingEnvironment(env);
    byte[] model =
        PolicyExporter.writer(
                trainer.networks(), probe.spec(), probe.simulator().topology().actionNames())
            .version(1)
            .trainedOn("experiment")
            .toBytes();
    Files.write(Path.of(out), model);
    Simulator s = new Simulator(sim);
    for (String w :
        List.of(mmpp(c, 0.5, 2.0, 30, 8), mmpp(c, 0.7, 1.4, 10, 10), "poisson:rate=" + 0.8 * c)) {
      System.out.println("== " + w);
      for (String name :
          List.of("smallest", "greedy-slo", "threshold", "proteus-like", "bc", "learned")) {
        if (name.equals("bc") && teacher == null) {
          continue;
        }
        byte[] policyModel =
            name.equals("bc") ? Files.readAllBytes(Path.of(out + ".bc.onnx")) : model;
        double sum = 0;
        Scoreboard.Summary last = null;
        for (long seed = 1; seed <= 3; seed++) {
          SchedulingPolicy p =
              name.equals("learned") || name.equals("bc")
                  ? OnnxPolicy.load(
                      policyModel,
                      s.spec(),
                      s.topology().actionNames(),
                      OnnxPolicy.Options.defaults().withMode(OnnxPolicy.Mode.ARGMAX))
                  : Policies.byName(name, s.topology(), s.latency());
          last =
              s.run(p, new Scenario(WorkloadSpec.parse(w), DisturbanceSpec.NONE, 60, seed))
                  .summary();
          sum += last.effectiveAccuracy();
        }
        System.out.printf(
            Locale.ROOT,
            "%-12s eff %.4f  slo %.3f shed %.3f p99 %.1f mix %s%n",
            name,
            sum / 3,
            last.sloAttainment(),
            last.shedRate(),
            last.p99LatencyMs(),
            last.mixText());
      }
    }
  }

  static String mmpp(double c, double r1, double r2, double d1, double d2) {
    return String.format(Locale.ROOT, "mmpp:rates=%.1f/%.1f,dwell=%s/%s", r1 * c, r2 * c, d1, d2);
  }

  static String mmpp3(double c, double r1, double r2, double r3, double d1, double d2, double d3) {
    return String.format(
        Locale.ROOT,
        "mmpp:rates=%.1f/%.1f/%.1f,dwell=%s/%s/%s",
        r1 * c,
        r2 * c,
        r3 * c,
        d1,
        d2,
        d3);
  }
}
