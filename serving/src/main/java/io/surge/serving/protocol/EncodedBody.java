package io.surge.serving.protocol;

/**
 * An HTTP body in protocol form.
 *
 * @param bytes the whole body: the JSON object, then any binary tensor data
 * @param jsonLength length of the JSON part (the {@code Inference-Header-Content-Length} value)
 * @param hasBinaryData whether any tensor travels as binary data, i.e. whether the header must be
 *     sent
 */
public record EncodedBody(byte[] bytes, int jsonLength, boolean hasBinaryData) {

  /** Header naming the length of the JSON part of a body with binary tensor data. */
  public static final String HEADER_LENGTH = "Inference-Header-Content-Length";

  /** The Content-Type the body travels with. */
  public String contentType() {
    return hasBinaryData ? "application/octet-stream" : "application/json";
  }
}
