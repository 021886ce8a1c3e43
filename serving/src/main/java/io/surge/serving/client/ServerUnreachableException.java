package io.surge.serving.client;

import java.net.http.HttpConnectTimeoutException;

/** No connection could be made (refused, unknown host, connect timeout): nothing was sent. */
public final class ServerUnreachableException extends KServeException {
  private final boolean connectTimeout;

  public ServerUnreachableException(String message, Throwable cause) {
    this(message, cause, cause instanceof HttpConnectTimeoutException);
  }

  public ServerUnreachableException(String message, Throwable cause, boolean connectTimeout) {
    super(message, cause);
    this.connectTimeout = connectTimeout;
  }

  /**
   * No connection was accepted within the connect timeout (the server is gone or too busy to
   * accept), as opposed to one refused at once.
   */
  public boolean isConnectTimeout() {
    return connectTimeout;
  }
}
