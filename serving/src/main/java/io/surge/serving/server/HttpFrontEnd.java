package io.surge.serving.server;

import java.time.Duration;

/** The part of {@link InferenceHttpServer} that listens and carries exchanges: JDK or Netty. */
interface HttpFrontEnd {

  /** The bound TCP port. */
  int port();

  /** Stops listening, closes the connections and ends the threads, waiting up to {@code wait}. */
  void stop(Duration wait);
}
