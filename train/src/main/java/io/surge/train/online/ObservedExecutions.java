package io.surge.train.online;

/**
 * What a server says it computed: {@code executions} batches of {@code batchSize} rows of {@code
 * model}, which took {@code computeMs} of its device's time in all (Triton's statistics extension,
 * {@code batch_stats} compute input + infer + output, between two reads). Server-side time, so no
 * queueing, batching wait, protocol or job overhead is in it: the queueing-aware half of the live
 * calibration.
 *
 * @param atMillis when the second of the two reads was taken (the samples' age in the window)
 */
public record ObservedExecutions(
    String server, String model, int batchSize, long executions, double computeMs, long atMillis) {

  public ObservedExecutions {
    if (executions < 0 || batchSize < 1 || !(computeMs >= 0)) {
      throw new IllegalArgumentException(
          "executions and compute time must be >= 0 and the batch size >= 1");
    }
  }
}
