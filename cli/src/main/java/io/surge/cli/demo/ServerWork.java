package io.surge.cli.demo;

import io.surge.cli.bench.BatchMix;
import java.util.Map;

/**
 * What the servers executed during a policy's measured loads: the batches, and the device time they
 * took next to what the emulated devices' profile holds them for (NaN on real compute).
 *
 * @param deviceMs the executions' measured time (the servers' {@code compute_infer})
 * @param profiledMs what the same executions hold an emulated device for by its profile
 */
record ServerWork(BatchMix batches, double deviceMs, double profiledMs) {

  static final ServerWork NONE = new ServerWork(new BatchMix(Map.of()), 0, 0);

  ServerWork plus(ServerWork other) {
    return new ServerWork(
        batches.plus(other.batches), deviceMs + other.deviceMs, profiledMs + other.profiledMs);
  }

  /** Measured over profiled device time: 1 when the emulated devices hold batches as profiled. */
  double deviceTimeOverProfile() {
    return profiledMs > 0 ? deviceMs / profiledMs : Double.NaN;
  }
}
