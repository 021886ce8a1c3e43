package io.surge.serving.server;

import io.surge.serving.protocol.HttpTransport;
import java.time.Duration;

/**
 * How the embedded inference server listens.
 *
 * @param host address to bind, e.g. 127.0.0.1 or 0.0.0.0
 * @param port TCP port, 0 for any free port
 * @param threads HTTP handler threads (handlers only parse and queue; execution is the executor's);
 *     with Netty, its event loops (at most one per core)
 * @param queueCapacity JDK transport: connections waiting for a handler thread before the accepting
 *     thread runs handlers itself (backpressure instead of dropping); Netty: the listen backlog
 * @param maxBodyBytes largest request body accepted; larger ones get 413 unread
 * @param name server name reported by {@code GET /v2}
 * @param version server version reported by {@code GET /v2}
 * @param drainTimeout how long {@code close()} waits for in-flight requests
 * @param httpTransport the HTTP implementation of {@code InferenceHttpServer} (NETTY by default)
 */
public record ServerOptions(
    String host,
    int port,
    int threads,
    int queueCapacity,
    long maxBodyBytes,
    String name,
    String version,
    Duration drainTimeout,
    HttpTransport httpTransport) {

  public static final long DEFAULT_MAX_BODY_BYTES = 64L << 20;

  public ServerOptions {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not a TCP port");
    }
    if (threads < 1 || queueCapacity < 1 || maxBodyBytes < 1) {
      throw new IllegalArgumentException("threads, queueCapacity and maxBodyBytes must be >= 1");
    }
    if (httpTransport == null) {
      throw new IllegalArgumentException("httpTransport must be given");
    }
  }

  /** Loopback, any free port, 8 threads, 64 MiB bodies, Netty. */
  public static ServerOptions defaults() {
    return new ServerOptions(
        "127.0.0.1",
        0,
        8,
        1024,
        DEFAULT_MAX_BODY_BYTES,
        "surge",
        "0.1.0",
        Duration.ofSeconds(5),
        HttpTransport.NETTY);
  }

  public ServerOptions withHost(String value) {
    return new ServerOptions(
        value,
        port,
        threads,
        queueCapacity,
        maxBodyBytes,
        name,
        version,
        drainTimeout,
        httpTransport);
  }

  public ServerOptions withPort(int value) {
    return new ServerOptions(
        host,
        value,
        threads,
        queueCapacity,
        maxBodyBytes,
        name,
        version,
        drainTimeout,
        httpTransport);
  }

  public ServerOptions withThreads(int value) {
    return new ServerOptions(
        host, port, value, queueCapacity, maxBodyBytes, name, version, drainTimeout, httpTransport);
  }

  public ServerOptions withQueueCapacity(int value) {
    return new ServerOptions(
        host, port, threads, value, maxBodyBytes, name, version, drainTimeout, httpTransport);
  }

  /** The name and version {@code GET /v2} reports. */
  public ServerOptions withServerInfo(String newName, String newVersion) {
    return new ServerOptions(
        host,
        port,
        threads,
        queueCapacity,
        maxBodyBytes,
        newName,
        newVersion,
        drainTimeout,
        httpTransport);
  }

  public ServerOptions withMaxBodyBytes(long value) {
    return new ServerOptions(
        host, port, threads, queueCapacity, value, name, version, drainTimeout, httpTransport);
  }

  public ServerOptions withDrainTimeout(Duration value) {
    return new ServerOptions(
        host, port, threads, queueCapacity, maxBodyBytes, name, version, value, httpTransport);
  }

  public ServerOptions withHttpTransport(HttpTransport value) {
    return new ServerOptions(
        host, port, threads, queueCapacity, maxBodyBytes, name, version, drainTimeout, value);
  }
}
