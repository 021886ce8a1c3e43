package io.surge.operators.invoke;

/** Why an inference call failed, in the terms the invoker maps to a result status. */
public final class CallFailure extends RuntimeException {

  /** What kind of failure; decides the result status and whether the circuit breaker counts it. */
  public enum Kind {
    /** No answer within the call's timeout (the request's deadline): the result is LATE. */
    TIMEOUT,
    /** Connection refused, reset or DNS failure: the server is not there. */
    UNREACHABLE,
    /**
     * No connection accepted within the connect timeout: the server is gone, or it is alive but too
     * busy to accept (its accept queue full). Which one, the invoker tells from whether the server
     * answered recently.
     */
    CONNECT_TIMEOUT,
    /** The server answered with an HTTP error status (see {@link #httpStatus()}). */
    HTTP_ERROR,
    /** The server answered something that is not a valid protocol response. */
    PROTOCOL,
    /** The call could not be built (unknown server or variant, bad payload): nothing was sent. */
    INVALID_REQUEST
  }

  private final Kind kind;
  private final int httpStatus;

  private CallFailure(Kind kind, int httpStatus, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.httpStatus = httpStatus;
  }

  public static CallFailure timeout(String message) {
    return new CallFailure(Kind.TIMEOUT, 0, message, null);
  }

  public static CallFailure unreachable(String message, Throwable cause) {
    return new CallFailure(Kind.UNREACHABLE, 0, message, cause);
  }

  public static CallFailure connectTimeout(String message, Throwable cause) {
    return new CallFailure(Kind.CONNECT_TIMEOUT, 0, message, cause);
  }

  /** An HTTP error answer; {@code message} is the body's {@code error} text. */
  public static CallFailure http(int status, String message) {
    return new CallFailure(Kind.HTTP_ERROR, status, message, null);
  }

  public static CallFailure protocol(String message, Throwable cause) {
    return new CallFailure(Kind.PROTOCOL, 0, message, cause);
  }

  public static CallFailure invalidRequest(String message, Throwable cause) {
    return new CallFailure(Kind.INVALID_REQUEST, 0, message, cause);
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status for {@link Kind#HTTP_ERROR}, else 0. */
  public int httpStatus() {
    return httpStatus;
  }

  /** True for 5xx answers: the server's fault, which the circuit breaker counts. */
  public boolean isServerError() {
    return kind == Kind.HTTP_ERROR && httpStatus >= 500;
  }
}
