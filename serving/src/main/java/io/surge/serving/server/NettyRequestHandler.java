package io.surge.serving.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of {@link NettyHttpFrontEnd}: gathers a request's body within the size limit
 * (refusing a larger one with 413 before reading it, then discarding what follows), hands the whole
 * request to the {@link ApiHandler} on the event loop, and stops reading until its answer is
 * written, so that answers leave in the order of the requests.
 */
final class NettyRequestHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(NettyRequestHandler.class);

  private enum State {
    /** Between requests. */
    IDLE,
    /** Headers seen, gathering the body. */
    READING,
    /** A 413 was sent; the rest of that body is read and dropped, then the connection closes. */
    DISCARDING,
    /** The request is with the ApiHandler until its answer is written. */
    ANSWERING,
    /** The connection is gone or going. */
    CLOSED
  }

  private final ApiHandler api;
  private final ObjectMapper mapper;
  private final long maxBodyBytes;
  private final long lingerBytes;

  /** Messages that arrived (pipelined) while a request was being answered. */
  private final Queue<Object> backlog = new ArrayDeque<>();

  private State state = State.IDLE;
  private HttpRequest head;
  private byte[] body;
  private int filled;
  private ByteArrayOutputStream chunked;
  private long discarded;
  private ChannelFuture refusal;

  NettyRequestHandler(ApiHandler api, ObjectMapper mapper, long maxBodyBytes) {
    this.api = api;
    this.mapper = mapper;
    this.maxBodyBytes = maxBodyBytes;
    this.lingerBytes = Math.max(2 * maxBodyBytes, 1L << 20);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.ANSWERING) {
      backlog.add(msg);
      return;
    }
    try {
      read(ctx, msg);
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void read(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpObject http && http.decoderResult().isFailure()) {
      refuseMalformed(ctx, http.decoderResult().cause());
      return;
    }
    if (msg instanceof HttpRequest request) {
      onHead(ctx, request);
    }
    if (msg instanceof HttpContent content) {
      onContent(ctx, content);
    }
  }

  private void onHead(ChannelHandlerContext ctx, HttpRequest request) {
    if (state != State.IDLE) {
      return;
    }
    head = request;
    long declared;
    try {
      declared = HttpUtil.getContentLength(request, -1L);
    } catch (NumberFormatException e) {
      refuseMalformed(ctx, e);
      return;
    }
    if (declared > maxBodyBytes) {
      refuseTooLarge(ctx, declared + " bytes");
      return;
    }
    if (HttpUtil.is100ContinueExpected(request)) {
      ctx.writeAndFlush(
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    body = declared >= 0 ? new byte[(int) declared] : null;
    chunked = declared >= 0 ? null : new ByteArrayOutputStream();
    filled = 0;
    state = State.READING;
  }

  private void onContent(ChannelHandlerContext ctx, HttpContent content) {
    ByteBuf data = content.content();
    boolean last = content instanceof LastHttpContent;
    if (state == State.DISCARDING) {
      discarded += data.readableBytes();
      if (last || discarded > lingerBytes) {
        // after the 413 has left: closing first would throw away an answer still queued
        state = State.CLOSED;
        refusal.addListener(ChannelFutureListener.CLOSE);
      }
      return;
    }
    if (state != State.READING) {
      return;
    }
    int n = data.readableBytes();
    if (body != null) {
      int room = body.length - filled;
      data.readBytes(body, filled, Math.min(n, room));
      filled += Math.min(n, room);
    } else {
      if (chunked.size() + (long) n > maxBodyBytes) {
        refuseTooLarge(ctx, "a chunked body");
        return;
      }
      byte[] chunk = new byte[n];
      data.readBytes(chunk);
      chunked.write(chunk, 0, n);
    }
    if (last) {
      dispatch(ctx);
    }
  }

  private void dispatch(ChannelHandlerContext ctx) {
    byte[] bytes =
        body != null
            ? (filled == body.length ? body : Arrays.copyOf(body, filled))
            : chunked.toByteArray();
    HttpRequest request = head;
    head = null;
    body = null;
    chunked = null;
    state = State.ANSWERING;
    ctx.channel().config().setAutoRead(false);
    api.handle(
        new NettyApiExchange(
            ctx.channel(),
            request,
            new QueryStringDecoder(request.uri()).rawPath(),
            bytes,
            () -> answered(ctx)));
  }

  /** On the event loop, once an answer on a kept-alive connection is written. */
  private void answered(ChannelHandlerContext ctx) {
    if (state != State.ANSWERING) {
      return;
    }
    state = State.IDLE;
    while (state != State.ANSWERING && state != State.CLOSED && !backlog.isEmpty()) {
      Object msg = backlog.poll();
      try {
        read(ctx, msg);
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
    if (state != State.ANSWERING) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /** 413 before the body is read, as the JDK front end does; the rest of the body is dropped. */
  private void refuseTooLarge(ChannelHandlerContext ctx, String what) {
    String message = Exchanges.tooLarge(what, maxBodyBytes).getMessage();
    FullHttpResponse answer = errorAnswer(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, message);
    answer.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    refusal = ctx.writeAndFlush(answer);
    body = null;
    chunked = null;
    discarded = 0;
    state = State.DISCARDING;
  }

  private void refuseMalformed(ChannelHandlerContext ctx, Throwable cause) {
    FullHttpResponse answer =
        errorAnswer(
            HttpResponseStatus.BAD_REQUEST, "malformed HTTP request: " + cause.getMessage());
    answer.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    state = State.CLOSED;
    ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
  }

  private FullHttpResponse errorAnswer(HttpResponseStatus status, String message) {
    byte[] json = Exchanges.errorBody(mapper, message);
    FullHttpResponse answer =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(json));
    answer.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    HttpUtil.setContentLength(answer, json.length);
    return answer;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (state == State.READING) {
      clientLeft(ctx, new IOException("the connection closed before the whole body arrived"));
    }
    state = State.CLOSED;
    while (!backlog.isEmpty()) {
      ReferenceCountUtil.release(backlog.poll());
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      if (state == State.READING) {
        clientLeft(ctx, cause);
      }
    } else {
      LOG.debug("HTTP connection failed", cause);
    }
    state = State.CLOSED;
    ctx.close();
  }

  /** A request was cut off mid-body: the same one line as the other transports log. */
  private void clientLeft(ChannelHandlerContext ctx, Throwable cause) {
    HttpRequest request = head;
    ApiHandler.logClientLeft(
        request.method().name(),
        new QueryStringDecoder(request.uri()).rawPath(),
        ctx.channel().remoteAddress(),
        cause);
    head = null;
  }
}
