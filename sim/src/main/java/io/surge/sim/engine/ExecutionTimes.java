package io.surge.sim.engine;

import io.surge.state.LatencyTable;
import io.surge.state.ServiceTopology;
import io.surge.state.catalog.LatencyProfile;
import java.util.SplittableRandom;

/**
 * How long one execution of a batch takes on a server before any slow-down: the profile's median
 * (from the scheduler's own {@link LatencyTable}, so the simulator and the predictions agree),
 * optionally with log-normal jitter whose spread puts the profile's p95 at the 95th percentile.
 */
final class ExecutionTimes {

  /** The standard normal's 95th percentile. */
  private static final double Z95 = 1.6448536;

  private final LatencyTable latency;
  private final int servers;

  /** Log-normal sigma per pair {@code variant * servers + server}; 0 without jitter. */
  private final double[] sigma;

  ExecutionTimes(LatencyTable latency, LatencyProfile profile, boolean jitter) {
    this.latency = latency;
    ServiceTopology topology = latency.topology();
    this.servers = topology.serverCount();
    this.sigma = new double[topology.variantCount() * servers];
    if (jitter) {
      for (int v = 0; v < topology.variantCount(); v++) {
        for (int s = 0; s < servers; s++) {
          sigma[v * servers + s] =
              spread(profile, topology.serverName(s), topology.variantModel(v));
        }
      }
    }
  }

  /** Mean log spread of the model's measurements on the server (or on any server when none). */
  private static double spread(LatencyProfile profile, String server, String model) {
    double onServer = 0;
    int nOnServer = 0;
    double anywhere = 0;
    int nAnywhere = 0;
    for (LatencyProfile.Entry e : profile.entries()) {
      if (!e.model().equals(model) || !(e.medianMs() > 0) || !(e.p95Ms() > e.medianMs())) {
        continue;
      }
      double s = Math.log(e.p95Ms() / e.medianMs()) / Z95;
      anywhere += s;
      nAnywhere++;
      if (e.server().equals(server)) {
        onServer += s;
        nOnServer++;
      }
    }
    return nOnServer > 0 ? onServer / nOnServer : nAnywhere > 0 ? anywhere / nAnywhere : 0;
  }

  /** One execution of {@code batch} requests, in nanoseconds (at least 1). */
  long drawNanos(int variant, int server, int batch, SplittableRandom rng) {
    double ms = latency.latencyMs(variant, server, batch);
    double s = sigma[variant * servers + server];
    if (s > 0) {
      ms *= Math.exp(s * rng.nextGaussian());
    }
    return Math.max(1, Math.round(ms * 1e6));
  }
}
