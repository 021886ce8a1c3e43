package io.surge.serving.client;

/**
 * The server answered with an error status; {@link #getMessage()} is its {@code error} text.
 * Statuses without a subtype of their own (e.g. 413) arrive as this class.
 */
public class InferenceServerException extends KServeException {
  private final int status;

  public InferenceServerException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status of the answer. */
  public int status() {
    return status;
  }
}
