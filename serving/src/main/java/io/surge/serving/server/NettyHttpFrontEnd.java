package io.surge.serving.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2 HTTP/1.1: a few event loops accept, read and decode requests and hand each one to the
 * {@link ApiHandler} on the loop itself; the infer endpoint queues it on the executor, and the
 * thread that completes the execution encodes the answer and writes it (Netty's write does not
 * block). Connections are kept alive; one request per connection is answered at a time, in order.
 */
final class NettyHttpFrontEnd implements HttpFrontEnd {

  /** Request bodies arrive in chunks of up to this size: few chunks, bounded memory per chunk. */
  private static final int MAX_CHUNK_BYTES = 64 * 1024;

  private final EventLoopGroup loops;
  private final Channel listener;
  private final ChannelGroup connections;

  private NettyHttpFrontEnd(EventLoopGroup loops, Channel listener, ChannelGroup connections) {
    this.loops = loops;
    this.listener = listener;
    this.connections = connections;
  }

  static NettyHttpFrontEnd start(ServerOptions options, ApiHandler api, ObjectMapper mapper) {
    // decoding is short and the executor does the work: more loops than cores only add switches
    int loopCount = Math.min(options.threads(), Runtime.getRuntime().availableProcessors());
    EventLoopGroup loops =
        new MultiThreadIoEventLoopGroup(
            Math.max(1, loopCount),
            new DefaultThreadFactory("surge-http", true),
            NioIoHandler.newFactory());
    ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(loops)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, options.queueCapacity())
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    connections.add(channel);
                    channel
                        .pipeline()
                        .addLast(
                            new HttpServerCodec(
                                new HttpDecoderConfig().setMaxChunkSize(MAX_CHUNK_BYTES)),
                            new NettyRequestHandler(api, mapper, options.maxBodyBytes()));
                  }
                });
    try {
      Channel listener =
          bootstrap
              .bind(new InetSocketAddress(options.host(), options.port()))
              .syncUninterruptibly()
              .channel();
      return new NettyHttpFrontEnd(loops, listener, connections);
    } catch (RuntimeException e) {
      loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw e;
    } catch (Exception e) {
      // bind() fails with a checked exception (BindException), rethrown unchecked by Netty
      loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      BindException cause = new BindException(e.getMessage());
      cause.initCause(e);
      throw new UncheckedIOException(
          "cannot listen on " + options.host() + ":" + options.port(), cause);
    }
  }

  @Override
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /**
   * Closes the listener, then the connections (after the answers already written to them: a
   * connection's tasks run in order), then ends the loops.
   */
  @Override
  public void stop(Duration wait) {
    listener.close().awaitUninterruptibly(wait.toMillis());
    connections.close().awaitUninterruptibly(wait.toMillis());
    loops.shutdownGracefully(0, wait.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly();
  }
}
