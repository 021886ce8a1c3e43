package io.surge.serving.engine;

import io.surge.serving.protocol.InferTensor;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the models of a repository: the part of the embedded server below the HTTP protocol.
 * Implementations queue requests per model (dynamic batching) and run one execution at a time.
 */
public interface ModelExecutor extends AutoCloseable {

  /** Every loaded model. */
  Collection<ModelInfo> models();

  /** True while the server must answer nothing at all, as a crashed one (an emulated outage). */
  default boolean isDown() {
    return false;
  }

  /** A loaded model, or null. */
  ModelInfo model(String name);

  /**
   * Queues one request. The future completes with the requested outputs (all when {@code
   * outputNames} is empty) or exceptionally with an {@link ExecutionException}.
   *
   * @param timeoutMicros queue timeout for this request (0 = the model's default)
   * @param priority schedule_policy priority (0 = default)
   */
  CompletableFuture<ExecutionResult> infer(
      String model,
      List<InferTensor> inputs,
      List<String> outputNames,
      long timeoutMicros,
      int priority);

  /** Per-model cumulative statistics, in the shape of Triton's statistics extension. */
  ModelStatistics statistics(String model);

  @Override
  void close();

  /** Outputs of one request plus where its time went. */
  record ExecutionResult(List<InferTensor> outputs, long queueNanos, long computeNanos) {}

  /**
   * Why a request failed, with the protocol status it maps to (400, 404, 500, 503), or {@link
   * #NO_ANSWER}: the server closes the connection without an answer, as a crashed one would (an
   * emulated outage).
   */
  final class ExecutionException extends RuntimeException {
    /** The status of a failure answered by closing the connection. */
    public static final int NO_ANSWER = 0;

    private final int httpStatus;

    public ExecutionException(int httpStatus, String message) {
      super(message);
      this.httpStatus = httpStatus;
    }

    public int httpStatus() {
      return httpStatus;
    }

    /** Whether the HTTP layer should drop the connection instead of answering. */
    public boolean dropsConnection() {
      return httpStatus == NO_ANSWER;
    }
  }
}
