package io.surge.serving.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Maps error answers and transport failures to the client's typed exceptions. */
final class Failures {

  private Failures() {}

  /** The typed exception for a non-200 answer, reading {@code {"error": ...}} when present. */
  static InferenceServerException fromStatus(int status, byte[] body, ObjectMapper mapper) {
    String message = errorMessage(status, body, mapper);
    if (status == 400) {
      return new InvalidInferenceRequestException(message);
    }
    if (status == 404) {
      return new ModelNotFoundException(message);
    }
    if (status == 503) {
      return new ServerUnavailableException(message);
    }
    if (status >= 500) {
      return new ServerErrorException(status, message);
    }
    return new InferenceServerException(status, message);
  }

  private static String errorMessage(int status, byte[] body, ObjectMapper mapper) {
    if (body == null || body.length == 0) {
      return "HTTP " + status;
    }
    try {
      JsonNode error = mapper.readTree(body).get("error");
      if (error != null && error.isTextual()) {
        return error.textValue();
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: fall through to the raw text
    }
    String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
    return "HTTP " + status + ": " + text;
  }

  /** The typed exception for a failure of the HTTP exchange itself. */
  static Throwable fromTransport(Throwable failure, URI uri) {
    Throwable t = unwrap(failure);
    if (t instanceof KServeException) {
      return t;
    }
    if (t instanceof HttpConnectTimeoutException) {
      return new ServerUnreachableException("connecting to " + uri + " timed out", t);
    }
    if (t instanceof HttpTimeoutException) {
      return new InferenceTimeoutException("no answer from " + uri + " in time", t);
    }
    if (t instanceof ConnectException
        || t instanceof UnresolvedAddressException
        || t instanceof UnknownHostException) {
      return new ServerUnreachableException("cannot connect to " + uri + ": " + t, t);
    }
    if (t instanceof IOException) {
      return new InferenceTransportException("connection to " + uri + " failed: " + t, t);
    }
    return t;
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    // The JDK client wraps a refused connection as ConnectException inside another IOException.
    // A connect timeout is an HttpConnectTimeoutException whose cause is a ConnectException: keep
    // it, so that a server too busy to accept is told from one that refuses (issue 12).
    if (t instanceof IOException
        && !(t instanceof ConnectException)
        && !(t instanceof HttpConnectTimeoutException)) {
      Throwable cause = t.getCause();
      if (cause instanceof ConnectException || cause instanceof UnresolvedAddressException) {
        return cause;
      }
    }
    return t;
  }
}
