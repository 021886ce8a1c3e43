package io.surge.serving.client;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.channels.UnresolvedAddressException;

/**
 * Maps gRPC statuses to the client's typed exceptions, with the HTTP status Triton answers the same
 * error with, so that callers treat both protocols alike.
 */
final class GrpcFailures {

  private GrpcFailures() {}

  static Throwable fromGrpc(Throwable failure, URI uri) {
    Throwable t = Failures.unwrap(failure);
    if (t instanceof KServeException) {
      return t;
    }
    Status status;
    if (t instanceof StatusRuntimeException e) {
      status = e.getStatus();
    } else if (t instanceof StatusException e) {
      status = e.getStatus();
    } else {
      return t;
    }
    String message = status.getDescription() != null ? status.getDescription() : status.toString();
    Throwable cause = status.getCause();
    return switch (status.getCode()) {
      case DEADLINE_EXCEEDED ->
          new InferenceTimeoutException("no answer from " + uri + " in time", t);
      case INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION ->
          new InvalidInferenceRequestException(message);
      case NOT_FOUND -> new ModelNotFoundException(message);
      case RESOURCE_EXHAUSTED -> new InferenceServerException(413, message);
      case UNIMPLEMENTED -> new ServerErrorException(501, message);
      case UNAVAILABLE -> unavailable(message, cause, uri, t);
      case CANCELLED ->
          new InferenceTransportException("call to " + uri + " cancelled: " + message, t);
      default -> new ServerErrorException(500, message);
    };
  }

  /**
   * UNAVAILABLE is both the server's answer (queue full, queue timeout, shutting down) and the
   * transport's (no connection, connection lost): only the latter carries a cause.
   */
  private static KServeException unavailable(
      String message, Throwable cause, URI uri, Throwable status) {
    if (cause == null) {
      return new ServerUnavailableException(message);
    }
    if (cause instanceof ConnectException || cause instanceof UnresolvedAddressException) {
      // Netty's ConnectTimeoutException is a ConnectException too
      boolean timedOut = cause.getClass().getSimpleName().equals("ConnectTimeoutException");
      String what = timedOut ? "connecting to " + uri + " timed out" : "cannot connect to " + uri;
      return new ServerUnreachableException(what + ": " + cause, status, timedOut);
    }
    if (cause instanceof IOException) {
      return new InferenceTransportException("connection to " + uri + " failed: " + cause, status);
    }
    return new InferenceTransportException("call to " + uri + " failed: " + message, status);
  }
}
