package io.surge.operators.invoke;

import io.surge.schema.Dispatch;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One inference call to the server a dispatch names, and the readiness probe of a server. Kept
 * apart from Flink so that the invoker's tests complete the futures themselves.
 *
 * <p>Contract: {@link #infer} never blocks; its future completes normally with the answer, or
 * exceptionally, preferably with a {@link CallFailure} that says what went wrong. It should
 * complete by about {@code timeout} (with {@link CallFailure.Kind#TIMEOUT}); the async operator's
 * own timeout is only a backstop.
 */
public interface InferenceCall extends ReadinessProbe, AutoCloseable {

  /**
   * Sends the dispatch's request to its server.
   *
   * @param timeout the request's remaining slack: the server should give up after it, the client
   *     must
   */
  CompletableFuture<CallAnswer> infer(Dispatch dispatch, Duration timeout);

  @Override
  default void close() throws Exception {}
}
