package io.surge.serving.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.surge.serving.protocol.BodyCompression;
import io.surge.serving.protocol.EncodedBody;
import io.surge.serving.protocol.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Reading bounded bodies from and writing answers to an exchange. */
final class Exchanges {

  private Exchanges() {}

  /**
   * Reads the whole body, refusing with 413 before reading when its declared length exceeds {@code
   * max}, or as soon as more than {@code max} bytes arrive when no length is declared.
   */
  static byte[] readBody(HttpExchange exchange, long max) throws IOException {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    InputStream in = exchange.getRequestBody();
    if (declared == null) {
      byte[] body = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
      if (body.length > max) {
        throw tooLarge("a chunked body", max);
      }
      return body;
    }
    long length = parseLength(declared);
    if (length > max) {
      throw tooLarge(length + " bytes", max);
    }
    byte[] body = in.readNBytes((int) length);
    if (body.length != length) {
      throw new ProtocolException(
          "request body ended after " + body.length + " of " + length + " bytes");
    }
    return body;
  }

  private static long parseLength(String declared) {
    try {
      long length = Long.parseLong(declared.trim());
      if (length >= 0) {
        return length;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ProtocolException("Content-Length '" + declared + "' is not a byte count");
  }

  private static ProtocolException tooLarge(String what, long max) {
    return new ProtocolException(
        413, "request body of " + what + " exceeds the limit of " + max + " bytes");
  }

  static void sendEmpty(HttpExchange exchange, int status) throws IOException {
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  static void sendJson(HttpExchange exchange, int status, ObjectMapper mapper, Object value)
      throws IOException {
    send(exchange, status, "application/json", mapper.writeValueAsBytes(value));
  }

  /**
   * An inference answer, compressed as negotiated; as in Triton, its {@code
   * Inference-Header-Content-Length} counts bytes of the uncompressed body.
   */
  static void sendBody(HttpExchange exchange, EncodedBody body, BodyCompression compression)
      throws IOException {
    if (body.hasBinaryData()) {
      exchange
          .getResponseHeaders()
          .set(EncodedBody.HEADER_LENGTH, Integer.toString(body.jsonLength()));
    }
    if (compression != BodyCompression.IDENTITY) {
      exchange.getResponseHeaders().set(InferEndpoint.CONTENT_ENCODING, compression.token());
    }
    send(exchange, 200, body.contentType(), compression.compress(body.bytes()));
  }

  /** {@code {"error": message}} with the status. */
  static void sendError(HttpExchange exchange, int status, ObjectMapper mapper, String message) {
    ObjectNode error = mapper.createObjectNode().put("error", message);
    try {
      sendJson(exchange, status, mapper, error);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      exchange.close();
    }
  }

  /**
   * 413 before the body was read. The answer goes out first; then up to {@code lingerBytes} of the
   * unread body are discarded (never stored) before the connection closes. Closing with unread
   * bytes in the socket makes the kernel reset the connection, and the client would then lose the
   * answer it had not yet read; a body beyond the linger budget still gets that reset.
   */
  static void sendTooLarge(
      HttpExchange exchange, ObjectMapper mapper, String message, long lingerBytes) {
    exchange.getResponseHeaders().set("Connection", "close");
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    try {
      byte[] body = mapper.writeValueAsBytes(mapper.createObjectNode().put("error", message));
      exchange.sendResponseHeaders(413, body.length);
      OutputStream out = exchange.getResponseBody();
      out.write(body);
      out.flush();
      discard(exchange.getRequestBody(), lingerBytes);
    } catch (IOException e) {
      // The client went away: nothing left to tell it.
    } finally {
      exchange.close();
    }
  }

  private static void discard(InputStream in, long limit) throws IOException {
    byte[] sink = new byte[64 * 1024];
    long left = limit;
    while (left > 0) {
      int n = in.read(sink, 0, (int) Math.min(sink.length, left));
      if (n < 0) {
        return;
      }
      left -= n;
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] bytes)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
