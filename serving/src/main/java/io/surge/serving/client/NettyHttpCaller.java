package io.surge.serving.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.SimpleChannelPool;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Netty 4.2 HTTP/1.1 with a pool of kept-alive connections, all on one event loop of the client's
 * own: a call takes an idle connection (or opens one), writes its request, and the loop completes
 * the future when the answer is whole; the connection then goes back to the pool. A connection
 * whose call timed out or failed is closed, never reused. Futures complete on the loop unless an
 * executor is given: continuations must not block.
 */
final class NettyHttpCaller implements HttpCaller {

  private static final AttributeKey<Call> CALL = AttributeKey.valueOf("surge.kserve.call");

  private final URI base;
  private final String pathPrefix;
  private final String hostHeader;
  private final Executor executor;
  private final EventLoopGroup loop;
  private final SimpleChannelPool pool;

  NettyHttpCaller(URI base, Duration connectTimeout, SSLContext sslContext, Executor executor) {
    this.base = base;
    this.pathPrefix = base.getRawPath() == null ? "" : base.getRawPath();
    this.hostHeader = base.getRawAuthority();
    this.executor = executor;
    boolean tls = "https".equals(base.getScheme());
    String host = base.getHost();
    int port = base.getPort() > 0 ? base.getPort() : tls ? 443 : 80;
    this.loop =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("surge-kserve-http", true), NioIoHandler.newFactory());
    Bootstrap bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .remoteAddress(host, port)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(connectTimeout.toMillis(), Integer.MAX_VALUE));
    SSLContext tlsContext = tls ? defaultIfNull(sslContext) : null;
    ChannelHandler answers = new AnswerHandler();
    this.pool =
        new SimpleChannelPool(
            bootstrap,
            new AbstractChannelPoolHandler() {
              @Override
              public void channelCreated(Channel channel) {
                if (tlsContext != null) {
                  channel.pipeline().addLast(new SslHandler(clientEngine(tlsContext, host, port)));
                }
                channel
                    .pipeline()
                    .addLast(
                        new HttpClientCodec(),
                        new HttpObjectAggregator(Integer.MAX_VALUE),
                        answers);
              }
            },
            ChannelHealthChecker.ACTIVE);
  }

  private static SSLContext defaultIfNull(SSLContext context) {
    if (context != null) {
      return context;
    }
    try {
      return SSLContext.getDefault();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("no default TLS context", e);
    }
  }

  /** A client engine that checks the server's name, as the JDK client does. */
  private static SSLEngine clientEngine(SSLContext context, String host, int port) {
    SSLEngine engine = context.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(parameters);
    return engine;
  }

  @Override
  public CompletableFuture<HttpAnswer> send(HttpCall call) {
    Call pending = new Call(call);
    pending.timer =
        loop.next().schedule(pending::timedOut, call.timeout().toNanos(), TimeUnit.NANOSECONDS);
    pool.acquire().addListener((Future<Channel> acquired) -> pending.connected(acquired));
    return pending.result;
  }

  @Override
  public void close() {
    pool.close();
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /** The client's typed exception for a failure of the connection (decoder errors included). */
  private static Throwable typed(Throwable cause, URI uri) {
    Throwable failure = Failures.fromTransport(cause, uri);
    if (failure instanceof KServeException) {
      return failure;
    }
    if (cause.getCause() instanceof IOException io) {
      return Failures.fromTransport(io, uri);
    }
    return new InferenceTransportException("connection to " + uri + " failed: " + cause, cause);
  }

  /** One exchange: the first of answer, failure or timeout wins. */
  private final class Call {
    final CompletableFuture<HttpAnswer> result = new CompletableFuture<>();
    final HttpCall call;
    final AtomicBoolean done = new AtomicBoolean();
    volatile Channel channel;
    volatile ScheduledFuture<?> timer;

    Call(HttpCall call) {
      this.call = call;
    }

    URI uri() {
      return URI.create(base + call.path());
    }

    void connected(Future<Channel> acquired) {
      if (!acquired.isSuccess()) {
        fail(typed(connectFailure(acquired.cause()), uri()));
        return;
      }
      Channel ch = acquired.getNow();
      if (done.get()) {
        pool.release(ch);
        return;
      }
      channel = ch;
      ch.attr(CALL).set(this);
      ch.writeAndFlush(request())
          .addListener(
              (ChannelFutureListener)
                  written -> {
                    if (!written.isSuccess()) {
                      failAndClose(typed(written.cause(), uri()), written.channel());
                    }
                  });
    }

    private Throwable connectFailure(Throwable cause) {
      if (cause instanceof ConnectTimeoutException) {
        // the one type callers tell a connect timeout by, whichever transport
        HttpConnectTimeoutException timeout =
            new HttpConnectTimeoutException("connecting to " + base + " timed out");
        timeout.initCause(cause);
        return timeout;
      }
      return cause;
    }

    private FullHttpRequest request() {
      byte[] body = call.body();
      FullHttpRequest request =
          new DefaultFullHttpRequest(
              HttpVersion.HTTP_1_1,
              HttpMethod.valueOf(call.method()),
              pathPrefix + call.path(),
              body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
      request.headers().set(HttpHeaderNames.HOST, hostHeader);
      if (body != null) {
        HttpUtil.setContentLength(request, body.length);
      }
      call.headers().forEach((name, value) -> request.headers().set(name, value));
      return request;
    }

    void answered(Channel ch, FullHttpResponse response) {
      ch.attr(CALL).set(null);
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      response.headers().forEach(h -> headers.putIfAbsent(h.getKey(), h.getValue()));
      HttpAnswer answer =
          new HttpAnswer(
              uri(), response.status().code(), headers, ByteBufUtil.getBytes(response.content()));
      if (HttpUtil.isKeepAlive(response)) {
        pool.release(ch);
      } else {
        ch.close();
        pool.release(ch);
      }
      if (done.compareAndSet(false, true)) {
        timer.cancel(false);
        complete(() -> result.complete(answer));
      }
    }

    void timedOut() {
      Channel ch = channel;
      if (fail(new InferenceTimeoutException("no answer from " + uri() + " in time", null))
          && ch != null) {
        // its answer may still come: the connection cannot carry another call
        ch.close();
      }
    }

    void failAndClose(Throwable failure, Channel ch) {
      ch.attr(CALL).set(null);
      ch.close();
      fail(failure);
    }

    boolean fail(Throwable failure) {
      if (!done.compareAndSet(false, true)) {
        return false;
      }
      ScheduledFuture<?> t = timer;
      if (t != null) {
        t.cancel(false);
      }
      complete(() -> result.completeExceptionally(failure));
      return true;
    }

    private void complete(Runnable completion) {
      if (executor == null) {
        completion.run();
      } else {
        executor.execute(completion);
      }
    }
  }

  /** Hands each whole answer, or the connection's end, to the call it belongs to. */
  @ChannelHandler.Sharable
  private static final class AnswerHandler extends SimpleChannelInboundHandler<FullHttpResponse> {

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      Call call = ctx.channel().attr(CALL).get();
      if (call == null) {
        ctx.close(); // an answer nobody asked for: the connection is out of step
        return;
      }
      call.answered(ctx.channel(), response);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      Call call = ctx.channel().attr(CALL).getAndSet(null);
      if (call != null) {
        call.fail(
            new InferenceTransportException(
                "connection to " + call.uri() + " closed before the answer", null));
      }
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Call call = ctx.channel().attr(CALL).getAndSet(null);
      if (call != null) {
        call.fail(typed(cause, call.uri()));
      }
      ctx.close();
    }
  }
}
