package io.surge.policy;

import io.surge.state.LatencyTable;
import io.surge.state.ObservationBuilder;
import io.surge.state.ServiceTopology;
import io.surge.state.WorkloadState;
import io.surge.state.WorkloadTracker;

/**
 * What a heuristic policy may look at besides the observation vector: the service's workload state,
 * the request's slack and the servers' health, with the service's topology and latency predictions.
 * One instance per service and thread, {@link #set refilled} per request.
 */
public final class DecisionContext {

  private final ServiceTopology topology;
  private final LatencyTable latency;
  private final WorkloadTracker tracker;
  private WorkloadState state;
  private double slackMs;
  private long healthyServers;
  private long nowNanos;

  public DecisionContext(ServiceTopology topology, LatencyTable latency, WorkloadTracker tracker) {
    if (latency.topology() != topology) {
      throw new IllegalArgumentException("latency table of another topology");
    }
    this.topology = topology;
    this.latency = latency;
    this.tracker = tracker;
  }

  public static DecisionContext of(ObservationBuilder builder) {
    return new DecisionContext(builder.topology(), builder.latency(), builder.tracker());
  }

  /** Refills the per-request part; returns this. */
  public DecisionContext set(
      WorkloadState state, double slackMs, long healthyServers, long nowNanos) {
    this.state = state;
    this.slackMs = slackMs;
    this.healthyServers = healthyServers;
    this.nowNanos = nowNanos;
    return this;
  }

  public ServiceTopology topology() {
    return topology;
  }

  public LatencyTable latency() {
    return latency;
  }

  public WorkloadTracker tracker() {
    return tracker;
  }

  public WorkloadState state() {
    return state;
  }

  public double slackMs() {
    return slackMs;
  }

  public long healthyServers() {
    return healthyServers;
  }

  public long nowNanos() {
    return nowNanos;
  }
}
