package io.surge.sim.engine;

import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.workload.WorkloadSpec;

/**
 * One simulated run: requests created for {@code durationSeconds} by {@code workload}, the servers
 * disturbed by {@code disturbances}; then the run drains until every request has its outcome.
 *
 * @param seed every random stream of the run is derived from it (arrivals, per-request overheads,
 *     execution jitter apart), so two policies run on the same seed see the same requests
 */
public record Scenario(
    WorkloadSpec workload, DisturbanceSpec disturbances, double durationSeconds, long seed) {

  public Scenario {
    if (workload == null || disturbances == null) {
      throw new IllegalArgumentException("a scenario needs a workload and disturbances (or NONE)");
    }
    if (!(durationSeconds > 0) || !Double.isFinite(durationSeconds)) {
      throw new IllegalArgumentException("duration must be a positive number of seconds");
    }
  }

  public static Scenario of(WorkloadSpec workload, double durationSeconds, long seed) {
    return new Scenario(workload, DisturbanceSpec.NONE, durationSeconds, seed);
  }
}
