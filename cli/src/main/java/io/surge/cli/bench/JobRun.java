package io.surge.cli.bench;

import java.util.Map;

/**
 * One job's run in the benchmark.
 *
 * @param name what ran, e.g. {@code pass-through}
 * @param commits how many commits (checkpoints) delivered the results; the rate is coarse when few
 * @param seconds from the first committed result to the last
 * @param perSecond committed results per second over that window
 * @param results distinct request ids on the results topic
 * @param duplicates results whose request id came before
 * @param statuses results by status (OK, LATE, FAILED, SHED)
 * @param lastError the error text of the latest result that had one, or null
 * @param cpuCores CPU cores per component ({@link JobCpuSplit}) from the job's submission to its
 *     last result, in the order reported
 */
public record JobRun(
    String name,
    int commits,
    double seconds,
    double perSecond,
    long results,
    long duplicates,
    Map<String, Long> statuses,
    String lastError,
    Map<String, Double> cpuCores) {

  public JobRun {
    statuses = Map.copyOf(statuses);
    cpuCores = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(cpuCores));
  }

  public long status(String status) {
    return statuses.getOrDefault(status, 0L);
  }
}
