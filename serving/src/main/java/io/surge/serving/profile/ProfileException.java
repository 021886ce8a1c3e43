package io.surge.serving.profile;

/** A profile could not be measured: the server failed, timed out or could not be read. */
public final class ProfileException extends RuntimeException {

  public ProfileException(String message, Throwable cause) {
    super(message, cause);
  }
}
