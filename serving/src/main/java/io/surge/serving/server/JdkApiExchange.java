package io.surge.serving.server;

import com.sun.net.httpserver.HttpExchange;
import io.surge.serving.protocol.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** An exchange of the JDK's {@code com.sun.net.httpserver}: the body is read on demand. */
final class JdkApiExchange implements ApiExchange {

  private final HttpExchange exchange;
  private final long lingerBytes;

  /**
   * @param lingerBytes how much of a refused oversized body is discarded so its client can read the
   *     413
   */
  JdkApiExchange(HttpExchange exchange, long lingerBytes) {
    this.exchange = exchange;
    this.lingerBytes = lingerBytes;
  }

  @Override
  public String method() {
    return exchange.getRequestMethod();
  }

  @Override
  public String rawPath() {
    return exchange.getRequestURI().getRawPath();
  }

  @Override
  public String requestHeader(String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  /**
   * Reads the whole body, refusing with 413 before reading when its declared length exceeds {@code
   * max}, or as soon as more than {@code max} bytes arrive when no length is declared.
   */
  @Override
  public byte[] body(long max) throws IOException {
    String declared = requestHeader("Content-Length");
    InputStream in = exchange.getRequestBody();
    if (declared == null) {
      byte[] body = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
      if (body.length > max) {
        throw Exchanges.tooLarge("a chunked body", max);
      }
      return body;
    }
    long length = parseLength(declared);
    if (length > max) {
      throw Exchanges.tooLarge(length + " bytes", max);
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

  @Override
  public void setResponseHeader(String name, String value) {
    exchange.getResponseHeaders().set(name, value);
  }

  @Override
  public void send(int status, String contentType, byte[] body) throws IOException {
    try {
      if (contentType != null) {
        exchange.getResponseHeaders().set("Content-Type", contentType);
      }
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } finally {
      exchange.close();
    }
  }

  /**
   * The answer goes out first; then up to {@code lingerBytes} of the unread body are discarded
   * (never stored) before the connection closes. Closing with unread bytes in the socket makes the
   * kernel reset the connection, and the client would then lose the answer it had not yet read; a
   * body beyond the linger budget still gets that reset.
   */
  @Override
  public void sendTooLarge(byte[] jsonBody) {
    exchange.getResponseHeaders().set("Connection", "close");
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    try {
      exchange.sendResponseHeaders(413, jsonBody.length);
      OutputStream out = exchange.getResponseBody();
      out.write(jsonBody);
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

  @Override
  public void drop() {
    exchange.close();
  }

  @Override
  public Object remoteAddress() {
    return exchange.getRemoteAddress();
  }
}
