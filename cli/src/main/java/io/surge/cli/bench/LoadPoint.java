package io.surge.cli.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One point of a closed-loop load sweep.
 *
 * @param clients concurrent closed-loop clients
 * @param throughput answered requests per second in the window
 * @param medianMs median client-side latency of a request
 * @param p95Ms 95th percentile of it
 * @param batches the batches the server formed in the window
 * @param failures requests that failed in the window
 * @param cpuCores process CPU time over wall time in the window (2.0 = both cores of this machine)
 * @param threadCores the same by thread group: model execution, server HTTP, client HTTP, other
 * @param executionBusy share of the window the server spent running the model (wall time)
 */
public record LoadPoint(
    int clients,
    double throughput,
    double medianMs,
    double p95Ms,
    BatchMix batches,
    long failures,
    double cpuCores,
    Map<String, Double> threadCores,
    double executionBusy) {

  public LoadPoint {
    threadCores = Collections.unmodifiableMap(new LinkedHashMap<>(threadCores));
  }

  /** CPU cores used by one thread group (see {@code ThreadCpu}), 0 if absent. */
  public double cores(String group) {
    return threadCores.getOrDefault(group, 0.0);
  }
}
