package io.surge.serving.server;

import java.io.IOException;

/**
 * One HTTP request and its answer, whichever server carries it ({@link JdkApiExchange}, {@link
 * NettyApiExchange}), so that routing, the infer endpoint and the error mapping exist once.
 */
interface ApiExchange {

  String method();

  /** The request path, still percent-encoded, without the query. */
  String rawPath();

  /** The first value of a request header, or null. */
  String requestHeader(String name);

  /**
   * The whole request body; a {@link io.surge.serving.protocol.ProtocolException} with status 413
   * when it exceeds {@code max} bytes.
   */
  byte[] body(long max) throws IOException;

  /** A header of the answer; set before {@link #send}. */
  void setResponseHeader(String name, String value);

  /** Sends the answer and ends the exchange; an empty body is sent as none. */
  void send(int status, String contentType, byte[] body) throws IOException;

  /**
   * A 413 answer to a body that was refused before it was read: the connection closes after it,
   * once the client could read it.
   */
  void sendTooLarge(byte[] jsonBody);

  /** Closes the connection without an answer (an emulated outage, a client that left). */
  void drop();

  /** The client's address, for log lines. */
  Object remoteAddress();
}
