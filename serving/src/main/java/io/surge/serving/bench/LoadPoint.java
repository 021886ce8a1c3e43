package io.surge.serving.bench;

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
 */
public record LoadPoint(
    int clients,
    double throughput,
    double medianMs,
    double p95Ms,
    BatchMix batches,
    long failures,
    double cpuCores) {}
