package io.surge.serving.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.surge.serving.protocol.BodyCompression;
import io.surge.serving.protocol.EncodedBody;
import io.surge.serving.protocol.ProtocolException;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writing answers to an exchange, and the body limit's error. */
final class Exchanges {

  private Exchanges() {}

  static ProtocolException tooLarge(String what, long max) {
    return new ProtocolException(
        413, "request body of " + what + " exceeds the limit of " + max + " bytes");
  }

  static void sendEmpty(ApiExchange exchange, int status) throws IOException {
    exchange.send(status, null, new byte[0]);
  }

  static void sendJson(ApiExchange exchange, int status, ObjectMapper mapper, Object value)
      throws IOException {
    exchange.send(status, "application/json", mapper.writeValueAsBytes(value));
  }

  /**
   * An inference answer, compressed as negotiated; as in Triton, its {@code
   * Inference-Header-Content-Length} counts bytes of the uncompressed body.
   */
  static void sendBody(ApiExchange exchange, EncodedBody body, BodyCompression compression)
      throws IOException {
    if (body.hasBinaryData()) {
      exchange.setResponseHeader(EncodedBody.HEADER_LENGTH, Integer.toString(body.jsonLength()));
    }
    if (compression != BodyCompression.IDENTITY) {
      exchange.setResponseHeader(InferEndpoint.CONTENT_ENCODING, compression.token());
    }
    exchange.send(200, body.contentType(), compression.compress(body.bytes()));
  }

  /** {@code {"error": message}} with the status. */
  static void sendError(ApiExchange exchange, int status, ObjectMapper mapper, String message) {
    try {
      exchange.send(status, "application/json", errorBody(mapper, message));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code {"error": message}} as bytes. */
  static byte[] errorBody(ObjectMapper mapper, String message) {
    try {
      return mapper.writeValueAsBytes(mapper.createObjectNode().put("error", message));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
