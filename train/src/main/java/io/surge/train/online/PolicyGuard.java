package io.surge.train.online;

import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.train.eval.EvaluationPlan;
import io.surge.train.eval.EvaluationResult;
import io.surge.train.eval.MeanInterval;
import io.surge.train.eval.ModeResult;
import io.surge.train.eval.PolicyEvaluation;
import java.nio.file.Path;
import java.util.List;

/**
 * Never ship a worse policy: runs the running policy and a candidate in the simulator on the same
 * scenarios (common random numbers), argmax as the job serves them, and lets the candidate through
 * only if its mean effective accuracy is higher <em>and</em> the 95 % CI of the per-seed difference
 * stays above {@code -margin}. A candidate that is better on average but may be more than the
 * margin worse waits for more evidence (more seeds, or a better candidate).
 *
 * <pre>{@code
 * PolicyGuard guard = new PolicyGuard(liveSimulator, recentArrivals, DisturbanceSpec.NONE, 5, 60, 0.0025, 2);
 * GuardVerdict verdict = guard.judge(running, candidate);
 * if (verdict.publish()) publisher.publish(candidate); else log.info(verdict.reason());
 * }</pre>
 */
public final class PolicyGuard {

  /** Seeds the guard uses; apart from the training seeds and the validation seeds (1000+). */
  static final long FIRST_SEED = 2000;

  private final SimulatorConfig simulator;
  private final WorkloadSpec workload;
  private final DisturbanceSpec disturbances;
  private final int seeds;
  private final double seconds;
  private final double margin;
  private final int threads;

  /**
   * @param simulator the site as the job observes it (the live calibration)
   * @param workload the recent arrival pattern
   * @param disturbances disturbances to judge under (e.g. a slow-down that is still going on)
   * @param seeds scenarios per policy (at least 2, for a CI)
   * @param seconds simulated seconds per scenario
   * @param margin how much worse (fraction of effective accuracy, e.g. 0.0025 = 0.25 pp) the CI's
   *     lower end may reach
   * @param threads scenarios run in parallel; the verdict does not depend on it
   */
  public PolicyGuard(
      SimulatorConfig simulator,
      WorkloadSpec workload,
      DisturbanceSpec disturbances,
      int seeds,
      double seconds,
      double margin,
      int threads) {
    if (seeds < 2) {
      throw new IllegalArgumentException("the guard needs at least 2 seeds for a CI: " + seeds);
    }
    if (!(margin >= 0)) {
      throw new IllegalArgumentException("the margin must be >= 0: " + margin);
    }
    this.simulator = simulator;
    this.workload = workload;
    this.disturbances = disturbances;
    this.seeds = seeds;
    this.seconds = seconds;
    this.margin = margin;
    this.threads = threads;
  }

  /**
   * @throws IllegalArgumentException when either model does not fit the simulator's observation
   *     spec (a candidate for another topology is never compared, let alone published)
   */
  public GuardVerdict judge(Path running, Path candidate) {
    String runningToken = running.toAbsolutePath().normalize().toString();
    String candidateToken = candidate.toAbsolutePath().normalize().toString();
    if (runningToken.equals(candidateToken)) {
      throw new IllegalArgumentException("the candidate is the running policy's file: " + running);
    }
    EvaluationResult result =
        PolicyEvaluation.run(
            new EvaluationPlan(
                simulator,
                workload,
                disturbances,
                List.of(runningToken, candidateToken),
                seeds,
                FIRST_SEED,
                seconds,
                EvaluationPlan.SHIPPED_POLICIES,
                threads));
    ModeResult runningResult = result.policies().get(0).headline();
    ModeResult candidateResult = result.policies().get(1).headline();
    MeanInterval difference =
        MeanInterval.paired(candidateResult.perSeedAccuracy(), runningResult.perSeedAccuracy());
    return GuardVerdict.of(
        runningResult.effectiveAccuracy().mean(),
        candidateResult.effectiveAccuracy().mean(),
        difference,
        margin);
  }
}
