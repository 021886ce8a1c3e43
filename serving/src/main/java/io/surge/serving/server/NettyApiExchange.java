package io.surge.serving.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * An exchange of {@link NettyHttpFrontEnd}: the request is whole when it arrives; the answer is
 * written from whichever thread calls {@link #send} (Netty queues it for the connection's loop).
 */
final class NettyApiExchange implements ApiExchange {

  private final Channel channel;
  private final HttpRequest request;
  private final String rawPath;
  private final byte[] body;
  private final Runnable answered;
  private final HttpHeaders responseHeaders = new DefaultHttpHeaders();

  /**
   * @param answered runs on the connection's loop once the answer is written and the connection
   *     stays open
   */
  NettyApiExchange(
      Channel channel, HttpRequest request, String rawPath, byte[] body, Runnable answered) {
    this.channel = channel;
    this.request = request;
    this.rawPath = rawPath;
    this.body = body;
    this.answered = answered;
  }

  @Override
  public String method() {
    return request.method().name();
  }

  @Override
  public String rawPath() {
    return rawPath;
  }

  @Override
  public String requestHeader(String name) {
    return request.headers().get(name);
  }

  /** The front end has already refused bodies over its limit, before reading them. */
  @Override
  public byte[] body(long max) {
    if (body.length > max) {
      throw Exchanges.tooLarge(body.length + " bytes", max);
    }
    return body;
  }

  @Override
  public void setResponseHeader(String name, String value) {
    responseHeaders.set(name, value);
  }

  @Override
  public void send(int status, String contentType, byte[] bytes) {
    write(status, contentType, bytes, HttpUtil.isKeepAlive(request));
  }

  /** The body was read whole (a 413 from decompression): the connection may close after it. */
  @Override
  public void sendTooLarge(byte[] jsonBody) {
    write(413, "application/json", jsonBody, false);
  }

  private void write(int status, String contentType, byte[] bytes, boolean keepAlive) {
    FullHttpResponse answer =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(status),
            Unpooled.wrappedBuffer(bytes),
            responseHeaders,
            EmptyHttpHeaders.INSTANCE);
    if (contentType != null) {
      responseHeaders.set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }
    HttpUtil.setContentLength(answer, bytes.length);
    if (!keepAlive) {
      responseHeaders.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      responseHeaders.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    channel
        .writeAndFlush(answer)
        .addListener(
            (ChannelFutureListener)
                written -> {
                  if (!written.isSuccess()) {
                    ApiHandler.logClientLeft(
                        method(), rawPath, channel.remoteAddress(), written.cause());
                    channel.close();
                  } else if (!keepAlive) {
                    channel.close();
                  } else {
                    answered.run();
                  }
                });
  }

  @Override
  public void drop() {
    channel.close();
  }

  @Override
  public Object remoteAddress() {
    return channel.remoteAddress();
  }
}
