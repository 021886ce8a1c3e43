package io.surge.train.tune;

import io.surge.policy.SchedulingPolicy;
import io.surge.policy.baseline.BaselineParameters;
import io.surge.policy.baseline.GreedySloPolicy;
import io.surge.policy.baseline.Policies;
import io.surge.policy.baseline.ProteusLikePolicy;
import io.surge.policy.baseline.ThresholdPolicy;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.engine.Scenario;
import io.surge.sim.engine.Simulator;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.train.Scenarios;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Grid search of the tunable baselines ({@code greedy-slo}, {@code threshold}, {@code
 * proteus-like}) on the {@code train} scenarios only, with the default calibration. Objective: mean
 * effective accuracy over the training scenarios and seeds; every candidate runs on the same seeds
 * (common random numbers). Writes the winners as {@code baselines.yaml}; with {@code --evaluate} it
 * then prints, for information only, every baseline on E1..E4 and S (nothing is chosen on them).
 *
 * <p>Usage: {@code BaselineTuner [--seeds N] [--seconds S] [--threads T] [--out FILE]
 * [--evaluate]}; run from the repository root (the trace scenario reads {@code deploy/data}).
 */
public final class BaselineTuner {

  private static final List<String> FIXED = List.of("largest", "smallest");

  private final int seeds;
  private final double seconds;
  private final ExecutorService pool;
  private final ThreadLocal<Simulator> simulators =
      ThreadLocal.withInitial(() -> new Simulator(SimulatorConfig.defaults()));

  BaselineTuner(int seeds, double seconds, int threads) {
    this.seeds = seeds;
    this.seconds = seconds;
    this.pool = Executors.newFixedThreadPool(threads);
  }

  /** One tuning candidate: a policy name and the parameters it is built with. */
  record Candidate(String policy, BaselineParameters parameters, String label) {}

  public static void main(String[] args) throws Exception {
    int seeds = 3;
    double seconds = 60;
    int threads = 2;
    Path out = Path.of("deploy/policies/baselines.yaml");
    boolean evaluate = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seeds" -> seeds = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--evaluate" -> evaluate = true;
        default ->
            throw new IllegalArgumentException(
                "usage: BaselineTuner [--seeds N] [--seconds S] [--threads T] [--out FILE]"
                    + " [--evaluate]");
      }
    }
    BaselineTuner tuner = new BaselineTuner(seeds, seconds, threads);
    try {
      BaselineParameters tuned = tuner.tune();
      String command =
          String.format(
              Locale.ROOT,
              "BaselineTuner --seeds %d --seconds %s --threads %d (train scenarios only), %s",
              seeds,
              seconds,
              threads,
              LocalDate.now());
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(
          out,
          tuned.toYaml(
              "Tuned baseline parameters (DESIGN.md section 7), loaded by default wherever the"
                  + " names are used.\nProduced by: "
                  + command
                  + "\nObjective: mean effective accuracy over Scenarios.of(\"train\") x seeds,"
                  + " common random numbers."));
      System.out.println("wrote " + out);
      if (evaluate) {
        tuner.evaluate(tuned);
      }
    } finally {
      tuner.pool.shutdown();
    }
  }

  // ---------------------------------------------------------------- tuning

  BaselineParameters tune() throws InterruptedException, ExecutionException, IOException {
    List<Scenarios.Entry> train = Scenarios.of(Scenarios.TRAIN, simulators.get().latency());
    BaselineParameters base = BaselineParameters.untuned();
    List<Candidate> grid = grid(base);
    System.out.printf(
        Locale.ROOT,
        "tuning %d candidates x %d training scenarios x %d seeds, %.0f s each%n",
        grid.size(),
        train.size(),
        seeds,
        seconds);
    double[][] scores = score(grid, train);
    BaselineParameters best = base;
    for (String policy :
        List.of(GreedySloPolicy.NAME, ThresholdPolicy.NAME, ProteusLikePolicy.NAME)) {
      int bestIndex = -1;
      int untunedIndex = -1;
      for (int i = 0; i < grid.size(); i++) {
        if (!grid.get(i).policy().equals(policy)) {
          continue;
        }
        if (bestIndex < 0 || mean(scores[i]) > mean(scores[bestIndex])) {
          bestIndex = i;
        }
        if (grid.get(i).parameters().equals(base)) {
          untunedIndex = i;
        }
      }
      best = with(best, grid.get(bestIndex).parameters(), policy);
      System.out.printf(Locale.ROOT, "%n%s: tuned %s%n", policy, grid.get(bestIndex).label());
      printPerScenario(train, "untuned", scores[untunedIndex]);
      printPerScenario(train, "tuned", scores[bestIndex]);
    }
    return best;
  }

  /** The grid: each tunable policy's section varied, the others left at their untuned values. */
  static List<Candidate> grid(BaselineParameters base) {
    List<Candidate> grid = new ArrayList<>();
    for (double margin : new double[] {0, 5, 10, 20}) {
      for (double exponent : new double[] {0, 1}) {
        for (double lateLevel : new double[] {0.1, 0.3, 1}) {
          var g = new BaselineParameters.GreedySlo(margin, exponent, lateLevel);
          grid.add(
              new Candidate(
                  GreedySloPolicy.NAME,
                  new BaselineParameters(g, base.threshold(), base.proteusLike()),
                  g.toString()));
        }
      }
    }
    for (double utilisation : new double[] {0.5, 0.65, 0.8, 0.95, 1.1}) {
      for (int scale = 0; scale <= 2; scale++) {
        var t = new BaselineParameters.Threshold(utilisation, scale);
        grid.add(
            new Candidate(
                ThresholdPolicy.NAME,
                new BaselineParameters(base.greedySlo(), t, base.proteusLike()),
                t.toString()));
      }
    }
    for (double utilisation : new double[] {0.5, 0.65, 0.8, 0.95}) {
      for (double replan : new double[] {0.25, 1, 5}) {
        for (int scale = 0; scale <= 2; scale++) {
          var p = new BaselineParameters.ProteusLike(utilisation, replan, scale);
          grid.add(
              new Candidate(
                  ProteusLikePolicy.NAME,
                  new BaselineParameters(base.greedySlo(), base.threshold(), p),
                  p.toString()));
        }
      }
    }
    return grid;
  }

  private static BaselineParameters with(
      BaselineParameters into, BaselineParameters from, String policy) {
    return switch (policy) {
      case GreedySloPolicy.NAME ->
          new BaselineParameters(from.greedySlo(), into.threshold(), into.proteusLike());
      case ThresholdPolicy.NAME ->
          new BaselineParameters(into.greedySlo(), from.threshold(), into.proteusLike());
      default -> new BaselineParameters(into.greedySlo(), into.threshold(), from.proteusLike());
    };
  }

  // ---------------------------------------------------------------- evaluation (information only)

  void evaluate(BaselineParameters tuned) throws InterruptedException, ExecutionException {
    BaselineParameters untuned = BaselineParameters.untuned();
    List<Candidate> all = new ArrayList<>();
    for (String name : FIXED) {
      all.add(new Candidate(name, untuned, name));
    }
    for (String name :
        List.of(GreedySloPolicy.NAME, ThresholdPolicy.NAME, ProteusLikePolicy.NAME)) {
      all.add(new Candidate(name, untuned, name + " (untuned)"));
      all.add(new Candidate(name, tuned, name + " (tuned)"));
    }
    System.out.printf(Locale.ROOT, "%nevaluation scenarios (information only, %d seeds)%n", seeds);
    for (String set : Scenarios.EVALUATION) {
      List<Scenarios.Entry> entries = Scenarios.of(set, simulators.get().latency());
      double[][] scores = score(all, entries);
      System.out.printf(Locale.ROOT, "%s: %s%n", set, entries.get(0));
      for (int i = 0; i < all.size(); i++) {
        System.out.printf(Locale.ROOT, "  %-24s %6.2f %%%n", all.get(i).label(), mean(scores[i]));
      }
    }
  }

  // ---------------------------------------------------------------- running

  /**
   * Effective accuracy (%, as the scoreboard reports it) per candidate, per (scenario, seed) in
   * scenario-major order.
   */
  private double[][] score(List<Candidate> candidates, List<Scenarios.Entry> entries)
      throws InterruptedException, ExecutionException {
    List<Scenario> runs = new ArrayList<>();
    for (Scenarios.Entry e : entries) {
      WorkloadSpec workload = WorkloadSpec.parse(e.workload());
      DisturbanceSpec disturbances =
          e.disturbances() == null ? DisturbanceSpec.NONE : DisturbanceSpec.parse(e.disturbances());
      for (int s = 0; s < seeds; s++) {
        runs.add(new Scenario(workload, disturbances, seconds, 1000 + s));
      }
    }
    double[][] scores = new double[candidates.size()][runs.size()];
    List<Future<?>> jobs = new ArrayList<>();
    AtomicInteger done = new AtomicInteger();
    long started = System.nanoTime();
    for (int c = 0; c < candidates.size(); c++) {
      Candidate candidate = candidates.get(c);
      double[] row = scores[c];
      jobs.add(
          pool.submit(
              () -> {
                Simulator sim = simulators.get();
                for (int r = 0; r < runs.size(); r++) {
                  SchedulingPolicy policy =
                      Policies.byName(
                          candidate.policy(),
                          sim.topology(),
                          sim.latency(),
                          candidate.parameters());
                  row[r] = sim.run(policy, runs.get(r)).summary().effectiveAccuracy();
                }
                int n = done.incrementAndGet();
                System.out.printf(
                    Locale.ROOT,
                    "  [%d/%d %.0f s] %-12s %-70s %6.2f %%%n",
                    n,
                    candidates.size(),
                    (System.nanoTime() - started) / 1e9,
                    candidate.policy(),
                    candidate.label(),
                    mean(row));
              }));
    }
    for (Future<?> job : jobs) {
      job.get();
    }
    return scores;
  }

  private void printPerScenario(List<Scenarios.Entry> entries, String label, double[] row) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-8s", label));
    for (int e = 0; e < entries.size(); e++) {
      double sum = 0;
      for (int s = 0; s < seeds; s++) {
        sum += row[e * seeds + s];
      }
      sb.append(String.format(Locale.ROOT, " %s %.2f", entries.get(e).label(), sum / seeds));
    }
    System.out.println(sb.append(String.format(Locale.ROOT, " | mean %.2f %%", mean(row))));
  }

  private static double mean(double[] xs) {
    double sum = 0;
    for (double x : xs) {
      sum += x;
    }
    return sum / xs.length;
  }
}
