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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP layer of {@code surge serve}: the Open Inference Protocol (KServe v2) REST API with
 * Triton's binary tensor data, statistics and schedule_policy extensions, over a {@link
 * ModelExecutor}. The executor is not owned: close it after this server.
 *
 * <p>Latency: the JDK server needs {@code -Dsun.net.httpserver.nodelay=true}, read once per JVM
 * when the first JDK server starts. This class sets it when it loads, but if another JDK server (a
 * Prometheus exporter, say) started earlier without it, every answer waits ~40 ms for a delayed
 * ACK: set it at the top of {@code main} or on the command line.
 */
public final class InferenceHttpServer implements AutoCloseable {

  private static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

  /**
   * Connections the kernel completes while the accepting thread is busy (it runs handlers itself
   * when every handler thread is taken). The JDK's default, 50, made a busy server drop new SYNs,
   * and its clients' connects time out as if it were down (issue 12); queued, they are served late
   * instead. Capped by the kernel's {@code net.core.somaxconn}.
   */
  static final int LISTEN_BACKLOG = 1024;

  /** Extensions reported by {@code GET /v2}. */
  public static final List<String> EXTENSIONS =
      List.of(
          ServerMetadata.BINARY_TENSOR_DATA,
          ServerMetadata.STATISTICS,
          ServerMetadata.SCHEDULE_POLICY);

  static {
    // The JDK server writes the response headers and the body separately; with Nagle's algorithm
    // on, the body then waits for the client's delayed ACK: some 40 ms per request. The JDK reads
    // this property once, when its first server starts, so it is set here unless set explicitly.
    if (System.getProperty(NO_DELAY_PROPERTY) == null) {
      System.setProperty(NO_DELAY_PROPERTY, "true");
    }
  }

  private final HttpServer http;
  private final ThreadPoolExecutor threads;
  private final ExecutorService replies;
  private final InFlight inFlight;
  private final ServerOptions options;

  private InferenceHttpServer(
      HttpServer http,
      ThreadPoolExecutor threads,
      ExecutorService replies,
      InFlight inFlight,
      ServerOptions options) {
    this.http = http;
    this.threads = threads;
    this.replies = replies;
    this.inFlight = inFlight;
    this.options = options;
  }

  /** Binds and starts serving; port 0 picks a free port, see {@link #port()}. */
  public static InferenceHttpServer start(ModelExecutor executor, ServerOptions options) {
    HttpServer http;
    try {
      http =
          HttpServer.create(new InetSocketAddress(options.host(), options.port()), LISTEN_BACKLOG);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on " + options.host() + ":" + options.port(), e);
    }
    ThreadPoolExecutor threads = boundedThreads(options);
    // Answers have their own threads: one task per in-flight request, so the queue is bounded by
    // the executor's queues, and a slow client never blocks the thread completing the executor.
    ExecutorService replies =
        Executors.newFixedThreadPool(options.threads(), daemonThreads("surge-http-reply-"));
    InferCodec codec = new InferCodec();
    InFlight inFlight = new InFlight();
    InferEndpoint infer = new InferEndpoint(executor, codec, options.maxBodyBytes(), replies);
    ServerMetadata metadata = new ServerMetadata(options.name(), options.version(), EXTENSIONS);
    http.createContext(
        "/",
        new ApiHandler(executor, codec.mapper(), metadata, infer, inFlight, lingerBytes(options)));
    http.setExecutor(threads);
    http.start();
    return new InferenceHttpServer(http, threads, replies, inFlight, options);
  }

  /**
   * Handler threads with a bounded queue; when both are full the accepting thread runs the handler
   * itself, which slows accepting instead of dropping connections.
   */
  private static ThreadPoolExecutor boundedThreads(ServerOptions options) {
    ThreadFactory factory = daemonThreads("surge-http-");
    return new ThreadPoolExecutor(
        options.threads(),
        options.threads(),
        30,
        TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(options.queueCapacity()),
        factory,
        new ThreadPoolExecutor.CallerRunsPolicy());
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** How much of a refused oversized body is discarded so its client can read the 413. */
  private static long lingerBytes(ServerOptions options) {
    return Math.max(2 * options.maxBodyBytes(), 1L << 20);
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
    replies.shutdown();
    try {
      threads.awaitTermination(options.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
      replies.awaitTermination(options.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
