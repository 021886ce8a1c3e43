package io.surge.serving.client;

/**
 * The connection failed after the request may have been sent (reset, closed early): the server may
 * or may not have run it.
 */
public final class InferenceTransportException extends KServeException {
  public InferenceTransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
