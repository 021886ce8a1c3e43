package io.surge.serving.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.surge.serving.engine.ModelExecutor;
import io.surge.serving.engine.ModelExecutor.ExecutionException;
import io.surge.serving.engine.ModelInfo;
import io.surge.serving.engine.ModelStatistics;
import io.surge.serving.engine.ModelStatisticsJson;
import io.surge.serving.protocol.BodyCompression;
import io.surge.serving.protocol.EncodedBody;
import io.surge.serving.protocol.ProtocolException;
import io.surge.serving.protocol.ServerMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes every {@code /v2} request and maps every failure to {@code {"error": ...}}, whichever HTTP
 * server carries the exchange.
 */
final class ApiHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
  private static final long CLIENT_LEFT_LOG_INTERVAL_NANOS = 10_000_000_000L;

  // shared by every server in the JVM (the demo runs several): one line per interval in all
  private static final AtomicLong lastClientLeftLog = new AtomicLong();
  private static final AtomicLong clientsLeftUnlogged = new AtomicLong();

  private final ModelExecutor executor;
  private final ObjectMapper mapper;
  private final ServerMetadata metadata;
  private final InferEndpoint infer;
  private final InFlight inFlight;

  ApiHandler(
      ModelExecutor executor,
      ObjectMapper mapper,
      ServerMetadata metadata,
      InferEndpoint infer,
      InFlight inFlight) {
    this.executor = executor;
    this.mapper = mapper;
    this.metadata = metadata;
    this.infer = infer;
    this.inFlight = inFlight;
  }

  /** Answers the exchange, now or (an inference) from the thread that completes it. */
  void handle(ApiExchange exchange) {
    if (!inFlight.enter()) {
      Exchanges.sendError(exchange, 503, mapper, "server is shutting down");
      return;
    }
    boolean answerLater = false;
    try {
      answerLater = route(exchange);
    } catch (Throwable t) {
      fail(exchange, t);
    } finally {
      if (!answerLater) {
        inFlight.exit();
      }
    }
  }

  /** Answers the request; true when the answer comes later, from the infer endpoint. */
  private boolean route(ApiExchange exchange) throws IOException {
    if (executor.isDown()) {
      // an emulated outage takes the whole server down, health endpoints included: a circuit
      // breaker's readiness probe must not see a dead server as ready
      exchange.drop();
      return false;
    }
    Route route = Route.parse(exchange.rawPath());
    if (route.kind() == Route.Kind.NOT_FOUND) {
      throw new ProtocolException(404, "Not Found");
    }
    if (!route.kind().method().equals(exchange.method())) {
      exchange.setResponseHeader("Allow", route.kind().method());
      throw new ProtocolException(405, exchange.method() + " is not allowed here");
    }
    switch (route.kind()) {
      case LIVE -> Exchanges.sendEmpty(exchange, 200);
      case READY -> Exchanges.sendEmpty(exchange, inFlight.isClosing() ? 503 : 200);
      case SERVER_METADATA -> Exchanges.sendJson(exchange, 200, mapper, metadata);
      case MODEL_METADATA ->
          Exchanges.sendJson(exchange, 200, mapper, ModelLookup.metadataOf(model(route)));
      case MODEL_READY -> {
        model(route);
        Exchanges.sendEmpty(exchange, 200);
      }
      case ALL_STATS -> sendStatistics(exchange, executor.models());
      case MODEL_STATS -> sendStatistics(exchange, List.of(model(route)));
      case INFER -> {
        infer.handle(exchange, model(route), (body, failure) -> answer(exchange, body, failure));
        return true;
      }
      case NOT_FOUND -> throw new IllegalStateException("handled above");
    }
    return false;
  }

  private void answer(ApiExchange exchange, EncodedBody body, Throwable failure) {
    try {
      if (failure != null) {
        fail(exchange, failure);
      } else {
        String accept = exchange.requestHeader(InferEndpoint.ACCEPT_ENCODING);
        Exchanges.sendBody(exchange, body, BodyCompression.negotiate(accept));
      }
    } catch (IOException | UncheckedIOException e) {
      clientLeft(exchange, e);
    } catch (RuntimeException e) {
      LOG.debug("could not send an inference answer", e);
      exchange.drop();
    } finally {
      inFlight.exit();
    }
  }

  private ModelInfo model(Route route) {
    return ModelLookup.require(executor, route.model(), route.version());
  }

  private void sendStatistics(ApiExchange exchange, Iterable<ModelInfo> models) throws IOException {
    List<ModelStatistics> stats = new ArrayList<>();
    for (ModelInfo model : models) {
      ModelStatistics s = executor.statistics(model.name());
      if (s != null) {
        stats.add(s);
      }
    }
    Exchanges.sendJson(exchange, 200, mapper, ModelStatisticsJson.toJson(stats));
  }

  /**
   * The client closed the connection before its request was read or answered (its own timeout, a
   * shutdown): nothing to answer and not the server's fault. Logged as one line, not a stack trace,
   * and at most once per {@link #CLIENT_LEFT_LOG_INTERVAL_NANOS} with a count of the others.
   */
  private void clientLeft(ApiExchange exchange, Throwable t) {
    exchange.drop();
    logClientLeft(exchange.method(), exchange.rawPath(), exchange.remoteAddress(), t);
  }

  /** The one rate-limited line for a client that left, also for transports that notice it later. */
  static void logClientLeft(String method, String rawPath, Object remote, Throwable t) {
    long now = System.nanoTime();
    long last = lastClientLeftLog.get();
    if (last != 0 && now - last < CLIENT_LEFT_LOG_INTERVAL_NANOS) {
      clientsLeftUnlogged.incrementAndGet();
      return;
    }
    if (!lastClientLeftLog.compareAndSet(last, now)) {
      clientsLeftUnlogged.incrementAndGet();
      return;
    }
    long others = clientsLeftUnlogged.getAndSet(0);
    Throwable cause =
        t instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : t;
    LOG.info(
        "a client closed its connection before the answer ({} {} from {}: {}){}",
        method,
        rawPath,
        remote,
        cause.getMessage(),
        others == 0 ? "" : "; " + others + " more since the last such line");
  }

  /** Forgets the last "client closed" line, so that the next one is logged (tests). */
  static void resetClientLeftLog() {
    lastClientLeftLog.set(0);
    clientsLeftUnlogged.set(0);
  }

  /** Maps a failure to Triton's status and an error body; unexpected ones are logged. */
  private void fail(ApiExchange exchange, Throwable failure) {
    Throwable t =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (t instanceof IOException || t instanceof UncheckedIOException) {
      clientLeft(exchange, t);
      return;
    }
    if (t instanceof ExecutionException e && e.dropsConnection()) {
      // an emulated outage: the server answers nothing, as a crashed one would
      exchange.drop();
      return;
    }
    int status;
    String message;
    if (t instanceof ProtocolException p) {
      status = p.httpStatus();
      message = p.getMessage();
    } else if (t instanceof ExecutionException e) {
      status = e.httpStatus() >= 400 && e.httpStatus() <= 599 ? e.httpStatus() : 500;
      message = e.getMessage();
    } else {
      LOG.warn("inference request failed unexpectedly", t);
      status = 500;
      message = "internal error: " + t;
    }
    try {
      if (status == 413) {
        exchange.sendTooLarge(Exchanges.errorBody(mapper, message));
        return;
      }
      Exchanges.sendError(exchange, status, mapper, message == null ? "error" : message);
    } catch (RuntimeException e) {
      LOG.debug("could not send an error answer", e);
    }
  }
}
