package io.surge.serving.client;

/** 404: the model (or version, or path) is unknown to the server. */
public final class ModelNotFoundException extends InferenceServerException {
  public ModelNotFoundException(String message) {
    super(404, message);
  }
}
