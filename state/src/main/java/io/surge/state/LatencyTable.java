package io.surge.state;

import io.surge.state.catalog.LatencyProfile;

/**
 * Service-time predictions for one service, precomputed from a {@link LatencyProfile} so the
 * decision path only indexes arrays. A server runs one execution at a time and each model has its
 * own batching queue (DESIGN.md section 8), so {@code n} requests of a variant waiting on a server
 * take {@code floor(n/B)} full batches of the largest profiled batch size B plus one batch of the
 * remainder; the outstanding work of a server is that sum over the variants it hosts.
 */
public final class LatencyTable {

  private static final double MIN_EXECUTION_MS = 1e-3;

  private final ServiceTopology topology;

  /** Per pair {@code variant * servers + server}: median ms by batch size (index 0 = 0 ms). */
  private final double[][] medianMsByBatch;

  private LatencyTable(ServiceTopology topology, double[][] medianMsByBatch) {
    this.topology = topology;
    this.medianMsByBatch = medianMsByBatch;
  }

  /**
   * @throws IllegalArgumentException when a hosted variant's model is not in the profile
   */
  public static LatencyTable from(LatencyProfile profile, ServiceTopology topology) {
    int servers = topology.serverCount();
    double[][] table = new double[topology.variantCount() * servers][];
    for (int v = 0; v < topology.variantCount(); v++) {
      for (int s = 0; s < servers; s++) {
        if (topology.hosts(s, v)) {
          table[v * servers + s] = profileRow(profile, topology, v, s);
        }
      }
    }
    return new LatencyTable(topology, table);
  }

  private static double[] profileRow(
      LatencyProfile profile, ServiceTopology topology, int v, int s) {
    String model = topology.variantModel(v);
    String server = topology.serverName(s);
    int maxBatch = largestProfiledBatch(profile, server, model);
    double[] row = new double[maxBatch + 1];
    for (int b = 1; b <= maxBatch; b++) {
      row[b] = Math.max(0, profile.medianMs(server, model, b));
    }
    return row;
  }

  /** The largest batch profiled for the model on the server (or any server when not on it). */
  private static int largestProfiledBatch(LatencyProfile profile, String server, String model) {
    int onServer = 0;
    int anywhere = 0;
    for (LatencyProfile.Entry e : profile.entries()) {
      if (e.model().equals(model)) {
        anywhere = Math.max(anywhere, e.batch());
        if (e.server().equals(server)) {
          onServer = Math.max(onServer, e.batch());
        }
      }
    }
    int b = onServer > 0 ? onServer : anywhere;
    if (b < 1) {
      throw new IllegalArgumentException("model '" + model + "' is not in the profile");
    }
    return b;
  }

  public ServiceTopology topology() {
    return topology;
  }

  /** Largest batch size of the variant on the server; 0 when it does not host it. */
  public int maxBatch(int variant, int server) {
    double[] row = medianMsByBatch[variant * topology.serverCount() + server];
    return row == null ? 0 : row.length - 1;
  }

  /** Median latency of one execution of {@code batch} requests (1..maxBatch). */
  public double latencyMs(int variant, int server, int batch) {
    return medianMsByBatch[variant * topology.serverCount() + server][batch];
  }

  /**
   * Requests per second a variant's servers serve together at their best batch size: its capacity,
   * were every server hosting it busy with it alone.
   */
  public double capacityPerSecond(int variant) {
    return capacityWithinPerSecond(variant, Double.POSITIVE_INFINITY);
  }

  /**
   * Requests per second a variant's servers serve together at the best batch size whose execution
   * takes at most {@code budgetMs} (batch 1 when none does). Back to back, a request can wait for
   * one batch and then run in the next, so only batches within half the deadline keep requests on
   * time: on a slow site the largest batch can take longer than the deadline itself.
   */
  public double capacityWithinDeadlinePerSecond(int variant) {
    return capacityWithinPerSecond(variant, topology.deadlineMs() / 2.0);
  }

  private double capacityWithinPerSecond(int variant, double budgetMs) {
    double perSecond = 0;
    for (int s = 0; s < topology.serverCount(); s++) {
      double[] row = medianMsByBatch[variant * topology.serverCount() + s];
      if (row == null) {
        continue;
      }
      double best = 0;
      for (int b = 1; b < row.length; b++) {
        if (b == 1 || row[b] <= budgetMs) {
          // a floor keeps a zero-compute profile finite
          best = Math.max(best, b * 1000 / Math.max(row[b], MIN_EXECUTION_MS));
        }
      }
      perSecond += best;
    }
    return perSecond;
  }

  /**
   * The unit C of arrival rates in observations and scenarios: the capacity of the middle variant
   * (index (V-1)/2) on all its servers at its best batch.
   */
  public double referenceCapacityPerSecond() {
    return capacityPerSecond((topology.variantCount() - 1) / 2);
  }

  /** Time to clear {@code queued} requests of a variant on a server, batching them. */
  public double workMs(int variant, int server, int queued) {
    if (queued <= 0) {
      return 0;
    }
    double[] row = medianMsByBatch[variant * topology.serverCount() + server];
    int maxBatch = row.length - 1;
    int full = queued / maxBatch;
    int rest = queued % maxBatch;
    return full * row[maxBatch] + row[rest];
  }

  /** Work waiting on or running on a server: its in-flight requests of every hosted variant. */
  public double outstandingWorkMs(WorkloadState state, int server) {
    int servers = topology.serverCount();
    double total = 0;
    for (int v = 0; v < topology.variantCount(); v++) {
      if (medianMsByBatch[v * servers + server] != null) {
        total += workMs(v, server, state.inflightByPair[v * servers + server]);
      }
    }
    return total;
  }

  /**
   * Predicted latency of one more request of {@code variant} sent to {@code server} now: the
   * server's outstanding work plus what the request adds to its variant's batches.
   */
  public double predictedLatencyMs(WorkloadState state, int variant, int server) {
    int queued = state.inflightByPair[variant * topology.serverCount() + server];
    return outstandingWorkMs(state, server)
        - workMs(variant, server, queued)
        + workMs(variant, server, queued + 1);
  }

  /**
   * The routing rule: the healthy server hosting the variant with the least outstanding work, ties
   * to the first in catalog order; -1 when no healthy server hosts it.
   */
  public int leastLoadedServer(WorkloadState state, int variant, long healthyServers) {
    long candidates = topology.hostMask(variant) & healthyServers;
    int best = -1;
    double bestWork = Double.POSITIVE_INFINITY;
    while (candidates != 0) {
      int s = Long.numberOfTrailingZeros(candidates);
      candidates &= candidates - 1;
      double work = outstandingWorkMs(state, s);
      if (work < bestWork) {
        best = s;
        bestWork = work;
      }
    }
    return best;
  }
}
