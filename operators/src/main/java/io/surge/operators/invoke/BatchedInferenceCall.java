package io.surge.operators.invoke;

import io.surge.schema.Dispatch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link InferenceCall} that can also send several dispatches for the same model on the same
 * server as one protocol call, and split the answer back per dispatch.
 */
public interface BatchedInferenceCall extends InferenceCall {

  /**
   * Sends the dispatches (same server, same model) as one call; the answers come in their order.
   * The future fails as a whole when the call fails.
   *
   * @param timeout how long the call may take: the largest of the dispatches' remaining slacks
   */
  CompletableFuture<List<CallAnswer>> inferBatch(List<Dispatch> dispatches, Duration timeout);
}
