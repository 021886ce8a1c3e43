package io.surge.serving.client;

import java.time.Duration;

/**
 * Per-call settings of an infer call.
 *
 * @param timeout the request's remaining slack: the HTTP timeout, and (when the server lists
 *     schedule_policy) its queue {@code timeout} parameter; null for the client's default
 * @param priority schedule_policy priority, 0 = the model's default
 * @param encoding tensor encoding, null for the client's default
 */
public record InferOptions(Duration timeout, long priority, TensorEncoding encoding) {

  public InferOptions {
    if (priority < 0) {
      throw new IllegalArgumentException("priority must be >= 0, got " + priority);
    }
  }

  /** The client's defaults. */
  public static InferOptions defaults() {
    return new InferOptions(null, 0, null);
  }

  public InferOptions withTimeout(Duration value) {
    return new InferOptions(value, priority, encoding);
  }

  public InferOptions withPriority(long value) {
    return new InferOptions(timeout, value, encoding);
  }

  public InferOptions withEncoding(TensorEncoding value) {
    return new InferOptions(timeout, priority, value);
  }
}
