package io.surge.serving.server;

import io.surge.serving.engine.ModelExecutor;
import io.surge.serving.protocol.HttpTransport;
import io.surge.serving.protocol.InferCodec;
import io.surge.serving.protocol.ServerMetadata;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * The HTTP layer of {@code surge serve}: the Open Inference Protocol (KServe v2) REST API with
 * Triton's binary tensor data, statistics and schedule_policy extensions, over a {@link
 * ModelExecutor}. The executor is not owned: close it after this server.
 *
 * <p>Two front ends carry the same API ({@link ServerOptions#httpTransport()}): Netty by default
 * ({@link NettyHttpFrontEnd}: no thread hand-off between the socket, the batcher and the answer),
 * and the JDK's own server ({@link JdkHttpFrontEnd}).
 */
public final class InferenceHttpServer implements AutoCloseable {

  /** Extensions reported by {@code GET /v2}. */
  public static final List<String> EXTENSIONS =
      List.of(
          ServerMetadata.BINARY_TENSOR_DATA,
          ServerMetadata.STATISTICS,
          ServerMetadata.SCHEDULE_POLICY);

  private final HttpFrontEnd frontEnd;
  private final InFlight inFlight;
  private final ServerOptions options;

  private InferenceHttpServer(HttpFrontEnd frontEnd, InFlight inFlight, ServerOptions options) {
    this.frontEnd = frontEnd;
    this.inFlight = inFlight;
    this.options = options;
  }

  /** Binds and starts serving; port 0 picks a free port, see {@link #port()}. */
  public static InferenceHttpServer start(ModelExecutor executor, ServerOptions options) {
    InferCodec codec = new InferCodec();
    InFlight inFlight = new InFlight();
    ServerMetadata metadata = new ServerMetadata(options.name(), options.version(), EXTENSIONS);
    HttpFrontEnd frontEnd;
    if (options.httpTransport() == HttpTransport.JDK) {
      ExecutorService replies = JdkHttpFrontEnd.replyThreads(options);
      ApiHandler api = api(executor, codec, metadata, inFlight, options, replies);
      frontEnd = JdkHttpFrontEnd.start(options, api, replies);
    } else {
      ApiHandler api = api(executor, codec, metadata, inFlight, options, Runnable::run);
      frontEnd = NettyHttpFrontEnd.start(options, api, codec.mapper());
    }
    return new InferenceHttpServer(frontEnd, inFlight, options);
  }

  private static ApiHandler api(
      ModelExecutor executor,
      InferCodec codec,
      ServerMetadata metadata,
      InFlight inFlight,
      ServerOptions options,
      Executor replies) {
    InferEndpoint infer = new InferEndpoint(executor, codec, options.maxBodyBytes(), replies);
    return new ApiHandler(executor, codec.mapper(), metadata, infer, inFlight);
  }

  /** The bound TCP port. */
  public int port() {
    return frontEnd.port();
  }

  /** {@code http://host:port}, the base URL clients use. */
  public URI baseUri() {
    return URI.create("http://" + options.host() + ":" + port());
  }

  /** NETTY or JDK: which front end carries the API. */
  public HttpTransport transport() {
    return options.httpTransport();
  }

  /**
   * Refuses new requests (503), waits up to the drain timeout for those in flight to be answered,
   * then stops listening and ends the front end's threads.
   */
  @Override
  public void close() {
    try {
      inFlight.closeAndDrain(options.drainTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    frontEnd.stop(options.drainTimeout());
  }
}
