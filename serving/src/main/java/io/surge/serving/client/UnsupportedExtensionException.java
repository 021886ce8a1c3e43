package io.surge.serving.client;

/** The call needs a protocol extension the server does not list in {@code GET /v2}. */
public final class UnsupportedExtensionException extends KServeException {
  public UnsupportedExtensionException(String message) {
    super(message);
  }
}
