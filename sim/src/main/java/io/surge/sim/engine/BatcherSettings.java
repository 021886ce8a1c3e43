package io.surge.sim.engine;

import java.util.List;

/**
 * The dynamic batcher of each (variant, server), as Triton's: a batch is formed when the queue
 * holds the largest profiled batch, or a preferred batch size while the oldest request has waited
 * less than {@code maxQueueDelayMicros} (the largest preferred size that fits), or whatever is
 * queued once it has waited that long. A request queued longer than the queue timeout is answered
 * 503; a full queue answers 503 at once (both end LATE: overload is not a fault, as in the job).
 *
 * @param queueTimeoutMicros 0 for the service's deadline (the generated ladder's default)
 */
public record BatcherSettings(
    List<Integer> preferredBatchSizes,
    long maxQueueDelayMicros,
    long queueTimeoutMicros,
    int queueCapacity) {

  public BatcherSettings {
    preferredBatchSizes = List.copyOf(preferredBatchSizes);
    if (preferredBatchSizes.stream().anyMatch(b -> b < 1)
        || maxQueueDelayMicros < 0
        || queueTimeoutMicros < 0
        || queueCapacity < 1) {
      throw new IllegalArgumentException(
          "batch sizes >= 1, delays >= 0 and a queue capacity >= 1 are needed");
    }
  }

  /** The generated ladder's batcher: preferred 4/8/16, 2 ms queue delay, 256 queued. */
  public static BatcherSettings defaults() {
    return new BatcherSettings(List.of(4, 8, 16), 2_000, 0, 256);
  }
}
