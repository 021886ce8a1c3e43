package io.surge.serving.client;

/** 400: the server found the request invalid (bad input, shape, datatype, parameter). */
public final class InvalidInferenceRequestException extends InferenceServerException {
  public InvalidInferenceRequestException(String message) {
    super(400, message);
  }
}
