package io.surge.serving.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK's {@code com.sun.net.httpserver}: a handler thread reads and decodes each request, and a
 * reply thread writes each inference answer (its writes block).
 *
 * <p>Latency: the JDK server needs {@code -Dsun.net.httpserver.nodelay=true}, read once per JVM
 * when the first JDK server starts. This class sets it when it loads, but if another JDK server (a
 * Prometheus exporter, say) started earlier without it, every answer waits ~40 ms for a delayed
 * ACK: set it at the top of {@code main} or on the command line.
 */
final class JdkHttpFrontEnd implements HttpFrontEnd {

  private static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

  /**
   * Connections the kernel completes while the accepting thread is busy (it runs handlers itself
   * when every handler thread is taken). The JDK's default, 50, made a busy server drop new SYNs,
   * and its clients' connects time out as if it were down (issue 12); queued, they are served late
   * instead. Capped by the kernel's {@code net.core.somaxconn}.
   */
  static final int LISTEN_BACKLOG = 1024;

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

  private JdkHttpFrontEnd(HttpServer http, ThreadPoolExecutor threads, ExecutorService replies) {
    this.http = http;
    this.threads = threads;
    this.replies = replies;
  }

  /**
   * Reply threads, one task per in-flight request (so the queue is bounded by the executor's
   * queues), so that a slow client never blocks the thread completing the executor.
   */
  static ExecutorService replyThreads(ServerOptions options) {
    return Executors.newFixedThreadPool(options.threads(), daemonThreads("surge-http-reply-"));
  }

  /** Binds and starts; {@code replies} are the threads the infer endpoint answers on. */
  static JdkHttpFrontEnd start(ServerOptions options, ApiHandler api, ExecutorService replies) {
    HttpServer http;
    try {
      http =
          HttpServer.create(new InetSocketAddress(options.host(), options.port()), LISTEN_BACKLOG);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on " + options.host() + ":" + options.port(), e);
    }
    ThreadPoolExecutor threads = boundedThreads(options);
    long lingerBytes = lingerBytes(options);
    http.createContext("/", exchange -> api.handle(new JdkApiExchange(exchange, lingerBytes)));
    http.setExecutor(threads);
    http.start();
    return new JdkHttpFrontEnd(http, threads, replies);
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

  @Override
  public int port() {
    return http.getAddress().getPort();
  }

  @Override
  public void stop(Duration wait) {
    http.stop(0);
    threads.shutdown();
    replies.shutdown();
    try {
      threads.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
      replies.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
