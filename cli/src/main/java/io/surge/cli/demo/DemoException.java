package io.surge.cli.demo;

/** The demo could not complete a step: the message says which and why. */
public final class DemoException extends RuntimeException {
  public DemoException(String message) {
    super(message);
  }

  public DemoException(String message, Throwable cause) {
    super(message, cause);
  }
}
