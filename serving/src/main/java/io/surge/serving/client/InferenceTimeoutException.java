package io.surge.serving.client;

/** No answer within the call's timeout (measured by the client); the server may still run it. */
public final class InferenceTimeoutException extends KServeException {
  public InferenceTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
