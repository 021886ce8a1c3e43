package io.surge.policy.baseline;

import io.surge.policy.Decision;
import io.surge.policy.DecisionContext;
import io.surge.policy.Masks;
import io.surge.policy.SchedulingPolicy;
import io.surge.state.LatencyTable;
import io.surge.state.ServiceTopology;
import java.util.Arrays;

/**
 * Model-Switching baseline (Zhang et al., HotCloud'20): step down the variant ladder as load
 * crosses thresholds. Each arrival-rate level the rate estimate exceeds, and each queue level the
 * in-flight count exceeds, is one step down from the most accurate variant; the larger of the two
 * step counts wins. A masked target falls to the next less accurate allowed variant, then the next
 * more accurate; shed only when no variant is allowed. Levels derive from the profile ({@link
 * #withDefaultLevels}); their utilisation and rate scale are tuned by grid search ({@link #of}).
 */
public final class ThresholdPolicy implements SchedulingPolicy {

  public static final String NAME = "threshold";

  private final double[] rateLevelsHz;
  private final double[] queueLevels;
  private final int rateScale;

  /**
   * @param rateLevelsHz arrival-rate thresholds (requests/s), each one step down
   * @param queueLevels in-flight thresholds, each one step down
   * @param rateScale which rate estimator (index of the time scale) to compare
   */
  public ThresholdPolicy(double[] rateLevelsHz, double[] queueLevels, int rateScale) {
    this.rateLevelsHz = rateLevelsHz.clone();
    this.queueLevels = queueLevels.clone();
    this.rateScale = rateScale;
    if (rateScale < 0) {
      throw new IllegalArgumentException("rate scale must be >= 0: " + rateScale);
    }
    Arrays.sort(this.rateLevelsHz);
    Arrays.sort(this.queueLevels);
  }

  /**
   * Levels from capacity: step k (k = 1..V-1) away from variant {@code V-k} when the rate passes
   * {@code utilisation} times what that variant's servers can serve at their best batch that keeps
   * requests on time ({@link LatencyTable#capacityWithinDeadlinePerSecond}), or when the in-flight
   * count passes what they clear at that rate within the service deadline.
   */
  public static ThresholdPolicy withDefaultLevels(
      ServiceTopology topology, LatencyTable latency, double utilisation, int rateScale) {
    int steps = topology.variantCount() - 1;
    double[] rates = new double[steps];
    double[] queues = new double[steps];
    for (int k = 1; k <= steps; k++) {
      int v = topology.variantCount() - k;
      double perMs = latency.capacityWithinDeadlinePerSecond(v) / 1000;
      rates[k - 1] = utilisation * perMs * 1000;
      queues[k - 1] = perMs * topology.deadlineMs();
    }
    return new ThresholdPolicy(rates, queues, rateScale);
  }

  /** Levels from capacity with tuned parameters (see {@link #withDefaultLevels}). */
  public static ThresholdPolicy of(
      ServiceTopology topology, LatencyTable latency, BaselineParameters.Threshold parameters) {
    return withDefaultLevels(topology, latency, parameters.utilisation(), parameters.rateScale());
  }

  @Override
  public void decide(
      float[] observation, float[] mask, long requestSeed, DecisionContext context, Decision out) {
    int variants = mask.length - 1;
    int scale = Math.min(rateScale, context.state().rateMass.length - 1);
    double rate = context.tracker().rateHz(context.state(), scale, context.nowNanos());
    int steps =
        Math.max(
            exceeded(rateLevelsHz, rate), exceeded(queueLevels, context.state().inflightCount));
    int target = Math.max(0, variants - 1 - steps);
    int v = Masks.highestAllowedAtOrBelow(mask, target);
    if (v < 0) {
      v = Masks.lowestAllowedAtOrAbove(mask, target + 1, variants);
    }
    out.set(v < 0 ? variants : v, 1.0);
  }

  private static int exceeded(double[] levels, double value) {
    int n = 0;
    for (double level : levels) {
      if (value > level) {
        n++;
      }
    }
    return n;
  }

  public double[] rateLevelsHz() {
    return rateLevelsHz.clone();
  }

  public double[] queueLevels() {
    return queueLevels.clone();
  }

  @Override
  public String name() {
    return NAME;
  }
}
