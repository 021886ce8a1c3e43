package io.surge.serving.client;

/**
 * 503: the server could not take the request now: its queue timeout expired ("Request timeout
 * expired"), its queue is full ("Exceeds maximum queue size"), or it is not ready.
 */
public final class ServerUnavailableException extends InferenceServerException {
  public ServerUnavailableException(String message) {
    super(503, message);
  }

  /** The request waited in the server's queue past its timeout. */
  public boolean isQueueTimeout() {
    return getMessage() != null && getMessage().contains("Request timeout expired");
  }

  /** The server's queue was full and the request was rejected at once. */
  public boolean isQueueFull() {
    return getMessage() != null && getMessage().contains("Exceeds maximum queue size");
  }
}
