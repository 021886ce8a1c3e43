package io.surge.serving.client;

import java.util.concurrent.CompletableFuture;

/**
 * What a transport gives {@link KServeClient}: one exchange at a time, the future failing with the
 * typed {@link KServeException} itself ({@link ServerUnreachableException} when no connection could
 * be made, {@link InferenceTimeoutException}, {@link InferenceTransportException}).
 */
interface HttpCaller extends AutoCloseable {

  CompletableFuture<HttpAnswer> send(HttpCall call);

  /** Releases connections and threads; calls in flight fail. */
  @Override
  void close();
}
