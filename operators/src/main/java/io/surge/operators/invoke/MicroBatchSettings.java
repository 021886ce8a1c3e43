package io.surge.operators.invoke;

import java.io.Serializable;
import java.time.Duration;

/**
 * Micro-batched calls: dispatches for the same model on the same server that arrive within {@code
 * window} of the first of them go out as one protocol call of up to {@code maxRows} rows.
 *
 * @param maxRows the most rows one call carries (at most the models' {@code max_batch_size}, or the
 *     server refuses the call); 1 turns micro-batching off
 * @param window how long the first dispatch of a call waits for others; the call leaves earlier
 *     when it is full
 */
public record MicroBatchSettings(int maxRows, Duration window) implements Serializable {

  public MicroBatchSettings {
    if (maxRows < 1) {
      throw new IllegalArgumentException("micro-batch size must be at least 1, got " + maxRows);
    }
    if (window == null || window.isNegative()) {
      throw new IllegalArgumentException("micro-batch window must be zero or positive");
    }
  }

  /** One protocol call per dispatch. */
  public static MicroBatchSettings off() {
    return new MicroBatchSettings(1, Duration.ZERO);
  }

  public boolean enabled() {
    return maxRows > 1;
  }
}
