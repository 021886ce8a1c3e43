package io.surge.serving.protocol;

import java.util.Locale;

/**
 * Which HTTP/1.1 implementation carries the KServe v2 REST API, in the embedded server and in the
 * client. Both speak the same protocol; they differ in what a call costs (docs/BENCHMARKS.md, issue
 * 10).
 */
public enum HttpTransport {
  /**
   * Netty 4.2 (the default): the server decodes requests on its event loops and writes each answer
   * from the thread that completes its execution; the client keeps a pool of kept-alive connections
   * on one event loop of its own.
   */
  NETTY,
  /**
   * The JDK's {@code com.sun.net.httpserver} and {@code java.net.http.HttpClient}: no dependency,
   * but a handler thread and a reply thread per call and about twice the per-call cost.
   */
  JDK;

  /** {@code netty} or {@code jdk}, in any case. */
  public static HttpTransport parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("HTTP transport must be netty or jdk, got " + value, e);
    }
  }
}
