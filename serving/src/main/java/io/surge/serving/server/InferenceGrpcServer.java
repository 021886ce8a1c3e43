package io.surge.serving.server;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.surge.serving.engine.ModelExecutor;
import io.surge.serving.protocol.ServerMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC side of {@code surge serve}: the Open Inference Protocol's {@code GRPCInferenceService}
 * (plus Triton's ModelStatistics) over the same {@link ModelExecutor} as {@link
 * InferenceHttpServer}, so both protocols share the models, the dynamic batcher, the queue limits
 * and the statistics. The executor is not owned: close it after this server.
 */
public final class InferenceGrpcServer implements AutoCloseable {

  private final Server server;
  private final InFlight inFlight;
  private final ServerOptions options;

  private InferenceGrpcServer(Server server, InFlight inFlight, ServerOptions options) {
    this.server = server;
    this.inFlight = inFlight;
    this.options = options;
  }

  /**
   * Binds {@code options.host()} on {@code options.port()} (0 = any free port, see {@link #port()})
   * and starts serving; messages above {@code options.maxBodyBytes()} are refused with
   * RESOURCE_EXHAUSTED.
   */
  public static InferenceGrpcServer start(ModelExecutor executor, ServerOptions options) {
    InFlight inFlight = new InFlight();
    ServerMetadata metadata =
        new ServerMetadata(options.name(), options.version(), InferenceHttpServer.EXTENSIONS);
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(options.host(), options.port()))
            // handlers only decode and queue; running them on the transport's threads saves a
            // hand-off per call
            .directExecutor()
            .maxInboundMessageSize((int) Math.min(options.maxBodyBytes(), Integer.MAX_VALUE))
            .addService(new GrpcInferenceService(executor, metadata, inFlight))
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen for gRPC on " + options.host() + ":" + options.port(), e);
    }
    return new InferenceGrpcServer(server, inFlight, options);
  }

  /** The bound TCP port. */
  public int port() {
    return server.getPort();
  }

  /** {@code grpc://host:port}, the URI clients and the catalog use. */
  public URI baseUri() {
    return URI.create("grpc://" + options.host() + ":" + port());
  }

  /**
   * Refuses new inferences (UNAVAILABLE), waits up to the drain timeout for those in flight, then
   * stops listening.
   */
  @Override
  public void close() {
    try {
      inFlight.closeAndDrain(options.drainTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.shutdown();
    try {
      if (!server.awaitTermination(options.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
