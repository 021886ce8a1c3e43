package io.surge.serving.protocol;

/**
 * A message that does not follow the Open Inference Protocol, with the HTTP status a server answers
 * it with (400 unless said otherwise).
 */
public class ProtocolException extends RuntimeException {
  private final int httpStatus;

  public ProtocolException(String message) {
    this(400, message);
  }

  public ProtocolException(int httpStatus, String message) {
    super(message);
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
