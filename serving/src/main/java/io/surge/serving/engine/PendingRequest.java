package io.surge.serving.engine;

import io.surge.serving.engine.ModelExecutor.ExecutionResult;
import io.surge.serving.protocol.InferTensor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/** A validated request waiting in a model's queue. State is guarded by the scheduler's lock. */
final class PendingRequest {

  final List<InferTensor> inputs;
  final List<String> outputNames;
  final int rows;
  final long enqueuedNanos;
  final CompletableFuture<ExecutionResult> future = new CompletableFuture<>();

  /** The timer that expires the request, or null when it has no timeout. */
  ScheduledFuture<?> timeoutTask;

  /** Set once the timeout expired under {@code timeout_action: DELAY}. */
  boolean delayed;

  PendingRequest(List<InferTensor> inputs, List<String> outputNames, int rows, long enqueuedNanos) {
    this.inputs = List.copyOf(inputs);
    this.outputNames = outputNames == null ? List.of() : List.copyOf(outputNames);
    this.rows = rows;
    this.enqueuedNanos = enqueuedNanos;
  }

  void cancelTimeout() {
    if (timeoutTask != null) {
      timeoutTask.cancel(false);
      timeoutTask = null;
    }
  }
}
