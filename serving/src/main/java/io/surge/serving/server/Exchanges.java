package io.surge.serving.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
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

  static void sendBody(HttpExchange exchange, EncodedBody body) throws IOException {
    if (body.hasBinaryData()) {
      exchange
          .getResponseHeaders()
          .set(EncodedBody.HEADER_LENGTH, Integer.toString(body.jsonLength()));
    }
    send(exchange, 200, body.contentType(), body.bytes());
  }

  /** {@code {"error": message}} with the status; 413 also closes the connection. */
  static void sendError(HttpExchange exchange, int status, ObjectMapper mapper, String message) {
    ObjectNode error = mapper.createObjectNode().put("error", message);
    if (status == 413) {
      // The unread body must not be parsed as the next request on this connection.
      exchange.getResponseHeaders().set("Connection", "close");
    }
    try {
      sendJson(exchange, status, mapper, error);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      exchange.close();
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
