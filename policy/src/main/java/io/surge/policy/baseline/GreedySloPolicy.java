package io.surge.policy.baseline;

import io.surge.policy.Decision;
import io.surge.policy.DecisionContext;
import io.surge.policy.Masks;
import io.surge.policy.SchedulingPolicy;
import io.surge.state.LatencyTable;

/**
 * INFaaS-style baseline, and the scheduler's fallback when no policy is loaded: the most accurate
 * allowed variant whose predicted latency on the server the router would pick (its queued and
 * in-flight work, batched, from the same latency profile) plus a safety margin fits the request's
 * slack; shed when none fits.
 */
public final class GreedySloPolicy implements SchedulingPolicy {

  public static final String NAME = "greedy-slo";

  private final double marginMs;

  public GreedySloPolicy() {
    this(0);
  }

  /**
   * @param marginMs added to each prediction (network and protocol overhead the profile does not
   *     see); tuned like the other baselines
   */
  public GreedySloPolicy(double marginMs) {
    if (!(marginMs >= 0)) {
      throw new IllegalArgumentException("margin must be >= 0 ms: " + marginMs);
    }
    this.marginMs = marginMs;
  }

  @Override
  public void decide(
      float[] observation, float[] mask, long requestSeed, DecisionContext context, Decision out) {
    int variants = mask.length - 1;
    LatencyTable latency = context.latency();
    for (int v = variants - 1; v >= 0; v--) {
      if (!Masks.allowed(mask, v)) {
        continue;
      }
      int server = latency.leastLoadedServer(context.state(), v, context.healthyServers());
      if (server < 0) {
        continue;
      }
      double predicted = latency.predictedLatencyMs(context.state(), v, server) + marginMs;
      if (predicted <= context.slackMs()) {
        out.set(v, 1.0);
        return;
      }
    }
    out.set(variants, 1.0);
  }

  @Override
  public String name() {
    return NAME;
  }
}
