package io.surge.serving.client;

/** The server answered 200 with a body that does not follow the protocol. */
public final class MalformedResponseException extends KServeException {
  public MalformedResponseException(String message, Throwable cause) {
    super(message, cause);
  }
}
