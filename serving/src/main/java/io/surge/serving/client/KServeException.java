package io.surge.serving.client;

/** Any failure of a {@link KServeClient} call; the subtypes say which kind. */
public class KServeException extends RuntimeException {
  public KServeException(String message) {
    super(message);
  }

  public KServeException(String message, Throwable cause) {
    super(message, cause);
  }
}
