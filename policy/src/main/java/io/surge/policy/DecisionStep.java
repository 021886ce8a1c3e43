package io.surge.policy;

import io.surge.state.ActionMask;
import io.surge.state.ObservationBuilder;
import io.surge.state.WorkloadState;
import io.surge.state.WorkloadTracker;

/**
 * The whole per-request decision, in the one order the simulator and the Flink operator must share:
 * record the arrival, build the mask and the observation (appending it to the history), ask the
 * policy, route, and record the dispatch or the shed in the state. Owns the reused buffers;
 * allocates nothing. One instance per service and thread.
 *
 * <p>After {@link #decide}, the accessors describe the decision until the next call; {@link
 * #observation()} and {@link #mask()} are the buffers the policy saw (copy them to log a
 * transition).
 */
public final class DecisionStep {

  private final ObservationBuilder builder;
  private final WorkloadTracker tracker;
  private final DecisionContext context;
  private final Router router;
  private final double shedReward;
  private final float[] observation;
  private final float[] mask;
  private final Decision decision = new Decision();
  private int server;

  /**
   * @param shedReward the reward recorded for a shed request (0, or a negative penalty)
   */
  public DecisionStep(ObservationBuilder builder, double shedReward) {
    this.builder = builder;
    this.tracker = builder.tracker();
    this.context = DecisionContext.of(builder);
    this.router = new Router(builder.latency());
    this.shedReward = shedReward;
    this.observation = new float[builder.spec().dimension()];
    this.mask = new float[builder.spec().actionCount()];
  }

  /**
   * Decides one request and records it in {@code state}: {@link #prepare}, {@link #ask}, {@link
   * #apply}.
   *
   * @param requestKey {@link io.surge.state.RequestIds#key} of the request id
   * @param slackMs time left until the request's deadline
   * @param minAccuracy the request's minimum accuracy, NaN for none
   * @param healthyServers bit s set when server s (catalog order) is healthy
   * @return this, for the accessors
   */
  public DecisionStep decide(
      SchedulingPolicy policy,
      WorkloadState state,
      long requestKey,
      double slackMs,
      double minAccuracy,
      long healthyServers,
      long nowNanos) {
    prepare(state, slackMs, minAccuracy, healthyServers, nowNanos);
    ask(policy, requestKey);
    return apply(state, requestKey, nowNanos);
  }

  /**
   * The first half of a decision: records the arrival and builds the mask and the observation
   * (appending it to the history). The training environment hands these to its learner, which
   * answers through {@link #choose}; the simulator may write privileged features into {@link
   * #observation()} in between.
   */
  public DecisionStep prepare(
      WorkloadState state, double slackMs, double minAccuracy, long healthyServers, long nowNanos) {
    tracker.onArrival(state, nowNanos);
    ActionMask.compute(builder.topology(), healthyServers, minAccuracy, mask);
    builder.observe(state, slackMs, healthyServers, nowNanos, observation);
    context.set(state, slackMs, healthyServers, nowNanos);
    return this;
  }

  /** Asks the policy for the prepared request's action. */
  public DecisionStep ask(SchedulingPolicy policy, long requestKey) {
    policy.decide(observation, mask, requestKey, context, decision);
    return this;
  }

  /** Sets the prepared request's action directly (a learner acting outside this step). */
  public DecisionStep choose(int action, double probability) {
    if (action < 0 || action > builder.topology().shedAction()) {
      throw new IllegalArgumentException(
          "action " + action + " out of range 0.." + builder.topology().shedAction());
    }
    decision.set(action, probability);
    return this;
  }

  /**
   * The second half: routes the chosen action and records the dispatch or the shed in {@code state}
   * (the one {@link #prepare}d).
   */
  public DecisionStep apply(WorkloadState state, long requestKey, long nowNanos) {
    long healthyServers = context.healthyServers();
    server = isShed() ? Router.NO_SERVER : router.route(state, decision.action(), healthyServers);
    if (server == Router.NO_SERVER) {
      shed(state);
      return this;
    }
    float predictedMs =
        (float) builder.latency().predictedLatencyMs(state, decision.action(), server);
    // false for a replayed request already in flight: the earlier dispatch stands
    tracker.onDispatch(state, requestKey, decision.action(), server, nowNanos, predictedMs);
    return this;
  }

  private void shed(WorkloadState state) {
    int shedAction = builder.topology().shedAction();
    if (decision.action() != shedAction) {
      // the policy chose a variant no healthy server hosts (a policy that ignores the mask)
      decision.set(shedAction, decision.probability());
    }
    tracker.onShed(state, shedReward);
  }

  public boolean isShed() {
    return decision.isShed(builder.topology().variantCount());
  }

  /** The chosen action: a variant index, or {@code variants} for shed. */
  public int action() {
    return decision.action();
  }

  /** Behaviour probability of the action. */
  public double probability() {
    return decision.probability();
  }

  /** The server the request goes to, or {@link Router#NO_SERVER} when shed. */
  public int server() {
    return server;
  }

  public float[] observation() {
    return observation;
  }

  public float[] mask() {
    return mask;
  }
}
