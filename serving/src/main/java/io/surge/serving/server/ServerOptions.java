package io.surge.serving.server;

import java.time.Duration;

/**
 * How the embedded inference server listens.
 *
 * @param host address to bind, e.g. 127.0.0.1 or 0.0.0.0
 * @param port TCP port, 0 for any free port
 * @param threads HTTP handler threads (handlers only parse and queue; execution is the executor's)
 * @param queueCapacity connections waiting for a handler thread before the accepting thread runs
 *     handlers itself (backpressure instead of dropping)
 * @param maxBodyBytes largest request body accepted; larger ones get 413 unread
 * @param name server name reported by {@code GET /v2}
 * @param version server version reported by {@code GET /v2}
 * @param drainTimeout how long {@code close()} waits for in-flight requests
 */
public record ServerOptions(
    String host,
    int port,
    int threads,
    int queueCapacity,
    long maxBodyBytes,
    String name,
    String version,
    Duration drainTimeout) {

  public static final long DEFAULT_MAX_BODY_BYTES = 64L << 20;

  public ServerOptions {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not a TCP port");
    }
    if (threads < 1 || queueCapacity < 1 || maxBodyBytes < 1) {
      throw new IllegalArgumentException("threads, queueCapacity and maxBodyBytes must be >= 1");
    }
  }

  /** Loopback, any free port, 8 threads, 64 MiB bodies. */
  public static ServerOptions defaults() {
    return new ServerOptions(
        "127.0.0.1", 0, 8, 1024, DEFAULT_MAX_BODY_BYTES, "surge", "0.1.0", Duration.ofSeconds(5));
  }

  public ServerOptions withHost(String value) {
    return new ServerOptions(
        value, port, threads, queueCapacity, maxBodyBytes, name, version, drainTimeout);
  }

  public ServerOptions withPort(int value) {
    return new ServerOptions(
        host, value, threads, queueCapacity, maxBodyBytes, name, version, drainTimeout);
  }

  public ServerOptions withThreads(int value) {
    return new ServerOptions(
        host, port, value, queueCapacity, maxBodyBytes, name, version, drainTimeout);
  }

  public ServerOptions withMaxBodyBytes(long value) {
    return new ServerOptions(
        host, port, threads, queueCapacity, value, name, version, drainTimeout);
  }

  public ServerOptions withDrainTimeout(Duration value) {
    return new ServerOptions(
        host, port, threads, queueCapacity, maxBodyBytes, name, version, value);
  }
}
