package io.surge.policy.baseline;

import io.surge.policy.Decision;
import io.surge.policy.DecisionContext;
import io.surge.policy.Masks;
import io.surge.policy.SchedulingPolicy;
import io.surge.state.LatencyTable;
import io.surge.state.WorkloadState;
import io.surge.state.WorkloadTracker;

/**
 * INFaaS-style baseline, and the scheduler's fallback when no policy is loaded: the most accurate
 * allowed variant whose predicted latency on the server the router would pick (its queued and
 * in-flight work, batched, from the same latency profile), corrected by what the scheduler
 * observes, plus a safety margin fits the request's slack; shed when none fits.
 *
 * <p>The correction: the profile was measured on a quiet machine, so under contention or a
 * slow-down every prediction is short. The observed-over-predicted latency ratio of the work in
 * flight (weighted by each variant's requests in flight) scales every prediction: a slow-down is a
 * property of the servers, not of one variant, and only variants in use have fresh ratios — a
 * variant left alone keeps its last, stale ratio, which would otherwise bar it for ever. For the
 * same reason the late-rate guard only passes over a variant that has requests in flight.
 */
public final class GreedySloPolicy implements SchedulingPolicy {

  public static final String NAME = "greedy-slo";

  private final BaselineParameters.GreedySlo parameters;

  /** The tuned defaults ({@link BaselineParameters#shipped()}). */
  public GreedySloPolicy() {
    this(BaselineParameters.shipped().greedySlo());
  }

  public GreedySloPolicy(BaselineParameters.GreedySlo parameters) {
    this.parameters = parameters;
  }

  public BaselineParameters.GreedySlo parameters() {
    return parameters;
  }

  @Override
  public void decide(
      float[] observation, float[] mask, long requestSeed, DecisionContext context, Decision out) {
    int variants = mask.length - 1;
    LatencyTable latency = context.latency();
    WorkloadState state = context.state();
    double scale =
        Math.pow(
            Math.max(1, inFlightLatencyRatio(context.tracker(), state)),
            parameters.ratioExponent());
    for (int v = variants - 1; v >= 0; v--) {
      if (!Masks.allowed(mask, v) || endsLate(state, v)) {
        continue;
      }
      int server = latency.leastLoadedServer(state, v, context.healthyServers());
      if (server < 0) {
        continue;
      }
      double predicted =
          latency.predictedLatencyMs(state, v, server) * scale + parameters.marginMs();
      if (predicted <= context.slackMs()) {
        out.set(v, 1.0);
        return;
      }
    }
    out.set(variants, 1.0);
  }

  private boolean endsLate(WorkloadState state, int v) {
    return state.inflightByVariant[v] > 0
        && state.lateRateByVariant[v] > parameters.lateRateLevel();
  }

  /** Observed over predicted latency of the variants in flight; 1 when nothing is in flight. */
  private static double inFlightLatencyRatio(WorkloadTracker tracker, WorkloadState state) {
    double weighted = 0;
    int inFlight = 0;
    for (int v = 0; v < state.variants; v++) {
      int n = state.inflightByVariant[v];
      if (n > 0) {
        weighted += n * tracker.latencyRatio(state, v);
        inFlight += n;
      }
    }
    return inFlight == 0 ? 1 : weighted / inFlight;
  }

  @Override
  public String name() {
    return NAME;
  }
}
