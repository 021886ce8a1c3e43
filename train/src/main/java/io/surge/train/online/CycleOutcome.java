package io.surge.train.online;

import io.surge.sim.workload.WorkloadSpec;
import java.nio.file.Path;

/**
 * What one learning cycle did.
 *
 * @param workload the recent arrival pattern trained and judged on (null when skipped early)
 * @param calibration the live latency factors, as one line
 * @param candidate the candidate's file (null when skipped)
 * @param verdict the guard's (null when skipped)
 * @param publishedVersion the version it went out as; 0 when not published
 * @param reason one line: why skipped, the verdict's reason, or what was published
 */
public record CycleOutcome(
    String service,
    Status status,
    WorkloadSpec workload,
    String calibration,
    Path candidate,
    GuardVerdict verdict,
    long publishedVersion,
    double trainingSeconds,
    double guardSeconds,
    String reason) {

  /** A cycle trains and publishes, trains and is rejected by the guard, or has nothing to do. */
  public enum Status {
    PUBLISHED,
    REJECTED,
    SKIPPED
  }

  static CycleOutcome skipped(String service, String calibration, String reason) {
    return new CycleOutcome(
        service, Status.SKIPPED, null, calibration, null, null, 0, 0, 0, reason);
  }
}
