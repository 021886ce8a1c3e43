package io.surge.policy;

import io.surge.state.LatencyTable;
import io.surge.state.WorkloadState;

/**
 * Picks the server for a chosen variant, deterministically (not the policy's choice, DESIGN.md
 * section 1): the healthy server hosting it with the least outstanding work (in-flight requests
 * times their predicted batched latency), ties to the first in catalog order. The observation's
 * predicted latencies assume the same rule.
 */
public final class Router {

  public static final int NO_SERVER = -1;

  private final LatencyTable latency;

  public Router(LatencyTable latency) {
    this.latency = latency;
  }

  /**
   * @param healthyServers bit s set when server s (catalog order) is healthy
   * @return the server index, or {@link #NO_SERVER} when no healthy server hosts the variant
   */
  public int route(WorkloadState state, int variant, long healthyServers) {
    return latency.leastLoadedServer(state, variant, healthyServers);
  }
}
