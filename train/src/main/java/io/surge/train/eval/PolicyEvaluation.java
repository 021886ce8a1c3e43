package io.surge.train.eval;

import io.surge.policy.SchedulingPolicy;
import io.surge.policy.onnx.OnnxPolicy;
import io.surge.sim.engine.ExecutionTrace;
import io.surge.sim.engine.Scenario;
import io.surge.sim.engine.Simulator;
import io.surge.sim.engine.SimulatorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * Compares policies in the simulator with common random numbers: every policy runs the same
 * scenarios (same workload, disturbances and seeds), so per-seed differences cancel the luck of the
 * draw. Model files run in argmax mode (the headline) and in sampled mode (as they serve).
 *
 * <p>Every (policy, mode, seed) run has its own simulator and policy instance, and results are
 * gathered in a fixed order, so the figures do not depend on the number of threads.
 */
public final class PolicyEvaluation {

  private PolicyEvaluation() {}

  /**
   * @throws IllegalArgumentException for an unknown policy or a missing or unfitting model file,
   *     before anything runs
   */
  public static EvaluationResult run(EvaluationPlan plan) {
    long start = System.nanoTime();
    List<EvaluatedPolicy> policies =
        plan.policies().stream()
            .map(token -> EvaluatedPolicy.resolve(token, plan.shippedPolicies(), plan.simulator()))
            .toList();
    List<String> variants = new Simulator(plan.simulator()).topology().actionNames();
    ExecutorService pool = Executors.newFixedThreadPool(plan.threads(), daemon());
    try {
      List<PendingPolicy> pending = new ArrayList<>();
      for (EvaluatedPolicy policy : policies) {
        pending.add(submit(pool, plan, policy));
      }
      List<PolicyResult> results = new ArrayList<>();
      for (PendingPolicy p : pending) {
        results.add(p.join(variants));
      }
      String best = bestBaseline(results);
      return new EvaluationResult(
          plan, paired(results, best), best, variants, (System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Runs one policy (argmax for a model, as the job serves it) on the plan's seed {@code firstSeed
   * + seedIndex} with {@code trace} watching every batch the servers start: what the demo compares
   * with the real servers' batch statistics.
   */
  public static void trace(EvaluationPlan plan, String token, int seedIndex, ExecutionTrace trace) {
    EvaluatedPolicy policy =
        EvaluatedPolicy.resolve(token, plan.shippedPolicies(), plan.simulator());
    Scenario scenario =
        new Scenario(
            plan.workload(), plan.disturbances(), plan.seconds(), plan.firstSeed() + seedIndex);
    SimulatorConfig config =
        policy instanceof EvaluatedPolicy.ModelFile model ? model.simulator() : plan.simulator();
    Simulator simulator = new Simulator(config);
    simulator.trace(trace);
    try (SchedulingPolicy p =
        policy instanceof EvaluatedPolicy.ModelFile model
            ? model.create(simulator, OnnxPolicy.Mode.ARGMAX)
            : ((EvaluatedPolicy.Baseline) policy).create(simulator)) {
      simulator.run(p, scenario);
    }
  }

  /** The baseline with the highest mean effective accuracy; the first named on a tie. */
  static String bestBaseline(List<PolicyResult> results) {
    PolicyResult best = null;
    for (PolicyResult r : results) {
      if (r.isBaseline()
          && (best == null
              || r.headline().effectiveAccuracy().mean()
                  > best.headline().effectiveAccuracy().mean())) {
        best = r;
      }
    }
    return best == null ? null : best.token();
  }

  private static List<PolicyResult> paired(List<PolicyResult> results, String best) {
    if (best == null) {
      return results;
    }
    ModeResult reference =
        results.stream().filter(r -> r.token().equals(best)).findFirst().orElseThrow().headline();
    return results.stream()
        .map(
            r ->
                new PolicyResult(
                    r.token(),
                    r.kind(),
                    r.headline().withPairedAgainst(reference),
                    r.sampled() == null ? null : r.sampled().withPairedAgainst(reference)))
        .toList();
  }

  private static PendingPolicy submit(
      ExecutorService pool, EvaluationPlan plan, EvaluatedPolicy policy) {
    if (policy instanceof EvaluatedPolicy.ModelFile model) {
      return new PendingPolicy(
          policy,
          seeds(pool, plan, model.simulator(), s -> model.create(s, OnnxPolicy.Mode.ARGMAX)),
          seeds(pool, plan, model.simulator(), s -> model.create(s, OnnxPolicy.Mode.SAMPLE)));
    }
    EvaluatedPolicy.Baseline baseline = (EvaluatedPolicy.Baseline) policy;
    return new PendingPolicy(policy, seeds(pool, plan, plan.simulator(), baseline::create), null);
  }

  /** Makes a policy instance for one run's simulator. */
  @FunctionalInterface
  private interface PolicyFactory {
    SchedulingPolicy create(Simulator simulator);
  }

  private static List<Future<SeedScores>> seeds(
      ExecutorService pool, EvaluationPlan plan, SimulatorConfig config, PolicyFactory factory) {
    List<Future<SeedScores>> runs = new ArrayList<>();
    for (int i = 0; i < plan.seeds(); i++) {
      Scenario scenario =
          new Scenario(plan.workload(), plan.disturbances(), plan.seconds(), plan.firstSeed() + i);
      runs.add(
          pool.submit(
              () -> {
                Simulator simulator = new Simulator(config);
                try (SchedulingPolicy policy = factory.create(simulator)) {
                  return SeedScores.of(simulator.run(policy, scenario).summary());
                }
              }));
    }
    return runs;
  }

  private record PendingPolicy(
      EvaluatedPolicy policy, List<Future<SeedScores>> headline, List<Future<SeedScores>> sampled) {

    PolicyResult join(List<String> variants) {
      return new PolicyResult(
          policy.token(),
          policy.kind(),
          ModeResult.of(joinAll(headline), variants),
          sampled == null ? null : ModeResult.of(joinAll(sampled), variants));
    }
  }

  private static List<SeedScores> joinAll(List<Future<SeedScores>> runs) {
    List<SeedScores> scores = new ArrayList<>();
    for (Future<SeedScores> run : runs) {
      try {
        scores.add(run.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while evaluating", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new IllegalStateException("an evaluation run failed", e.getCause());
      }
    }
    return scores;
  }

  private static ThreadFactory daemon() {
    return task -> {
      Thread thread = new Thread(task, "surge-evaluate");
      thread.setDaemon(true);
      return thread;
    };
  }
}
