package io.surge.serving.server;

import com.sun.net.httpserver.HttpServer;
import io.surge.serving.engine.ModelExecutor;
import io.surge.serving.protocol.InferCodec;
import io.surge.serving.protocol.ServerMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP layer of {@code surge serve}: the Open Inference Protocol (KServe v2) REST API with
 * Triton's binary tensor data, statistics and schedule_policy extensions, over a {@link
 * ModelExecutor}. The executor is not owned: close it after this server.
 */
public final class InferenceHttpServer implements AutoCloseable {

  /** Extensions reported by {@code GET /v2}. */
  public static final List<String> EXTENSIONS =
      List.of(
          ServerMetadata.BINARY_TENSOR_DATA,
          ServerMetadata.STATISTICS,
          ServerMetadata.SCHEDULE_POLICY);

  private final HttpServer http;
  private final ThreadPoolExecutor threads;
  private final InFlight inFlight;
  private final ServerOptions options;

  private InferenceHttpServer(
      HttpServer http, ThreadPoolExecutor threads, InFlight inFlight, ServerOptions options) {
    this.http = http;
    this.threads = threads;
    this.inFlight = inFlight;
    this.options = options;
  }

  /** Binds and starts serving; port 0 picks a free port, see {@link #port()}. */
  public static InferenceHttpServer start(ModelExecutor executor, ServerOptions options) {
    ThreadPoolExecutor threads = boundedThreads(options);
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 0);
    } catch (IOException e) {
      threads.shutdown();
      throw new UncheckedIOException(
          "cannot listen on " + options.host() + ":" + options.port(), e);
    }
    InferCodec codec = new InferCodec();
    InFlight inFlight = new InFlight();
    InferEndpoint infer = new InferEndpoint(executor, codec, options.maxBodyBytes(), threads);
    ServerMetadata metadata = new ServerMetadata(options.name(), options.version(), EXTENSIONS);
    http.createContext("/", new ApiHandler(executor, codec.mapper(), metadata, infer, inFlight));
    http.setExecutor(threads);
    http.start();
    return new InferenceHttpServer(http, threads, inFlight, options);
  }

  /**
   * Handler threads with a bounded queue; when both are full the accepting thread runs the handler
   * itself, which slows accepting instead of dropping connections.
   */
  private static ThreadPoolExecutor boundedThreads(ServerOptions options) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "surge-http-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return new ThreadPoolExecutor(
        options.threads(),
        options.threads(),
        30,
        TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(options.queueCapacity()),
        factory,
        new ThreadPoolExecutor.CallerRunsPolicy());
  }

  /** The bound TCP port. */
  public int port() {
    return http.getAddress().getPort();
  }

  /** {@code http://host:port}, the base URL clients use. */
  public URI baseUri() {
    return URI.create("http://" + options.host() + ":" + port());
  }

  /**
   * Refuses new requests (503), waits up to the drain timeout for those in flight to be answered,
   * then stops listening and ends the handler threads.
   */
  @Override
  public void close() {
    try {
      inFlight.closeAndDrain(options.drainTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.stop(0);
    threads.shutdown();
    try {
      threads.awaitTermination(options.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
