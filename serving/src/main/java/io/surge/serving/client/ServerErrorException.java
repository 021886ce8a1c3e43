package io.surge.serving.client;

/** A 5xx status other than 503: internal error (500), unsupported (501) and the like. */
public final class ServerErrorException extends InferenceServerException {
  public ServerErrorException(int status, String message) {
    super(status, message);
  }
}
