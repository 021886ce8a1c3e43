package io.surge.serving.client;

/** No connection could be made (refused, unknown host, connect timeout): nothing was sent. */
public final class ServerUnreachableException extends KServeException {
  public ServerUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
