package io.surge.serving.client;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.stub.StreamObserver;
import io.surge.serving.engine.ModelStatistics;
import io.surge.serving.engine.ModelStatisticsProto;
import io.surge.serving.grpc.v2.GRPCInferenceServiceGrpc;
import io.surge.serving.grpc.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceStub;
import io.surge.serving.grpc.v2.ModelInferRequest;
import io.surge.serving.grpc.v2.ModelInferResponse;
import io.surge.serving.grpc.v2.ModelMetadataRequest;
import io.surge.serving.grpc.v2.ModelMetadataResponse;
import io.surge.serving.grpc.v2.ModelReadyRequest;
import io.surge.serving.grpc.v2.ModelReadyResponse;
import io.surge.serving.grpc.v2.ModelStatisticsRequest;
import io.surge.serving.grpc.v2.ServerLiveRequest;
import io.surge.serving.grpc.v2.ServerLiveResponse;
import io.surge.serving.grpc.v2.ServerMetadataRequest;
import io.surge.serving.grpc.v2.ServerMetadataResponse;
import io.surge.serving.grpc.v2.ServerReadyRequest;
import io.surge.serving.grpc.v2.ServerReadyResponse;
import io.surge.serving.protocol.GrpcCodec;
import io.surge.serving.protocol.InferRequest;
import io.surge.serving.protocol.InferResponse;
import io.surge.serving.protocol.ModelMetadata;
import io.surge.serving.protocol.ProtocolException;
import io.surge.serving.protocol.ServerMetadata;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A non-blocking KServe v2 gRPC client ({@code inference.GRPCInferenceService}), compatible with
 * NVIDIA Triton, for a server at {@code grpc://host:port}. One HTTP/2 channel per client, reused by
 * every call. Failures are the same typed exceptions as {@link KServeClient}'s: a gRPC status
 * arrives as the HTTP status Triton answers the same error with (INVALID_ARGUMENT 400, NOT_FOUND
 * 404, RESOURCE_EXHAUSTED 413, UNAVAILABLE 503, UNIMPLEMENTED 501, others 500).
 *
 * <p>Futures complete on the transport's threads unless an executor is given: continuations must
 * not block.
 */
public final class KServeGrpcClient implements InferenceClient {

  /** The URI scheme of a gRPC server in catalogs and on the command line. */
  public static final String SCHEME = "grpc";

  private final URI base;
  private final ManagedChannel channel;
  private final GRPCInferenceServiceStub stub;
  private final Duration defaultTimeout;
  private final TensorEncoding defaultEncoding;
  private final AtomicReference<CompletableFuture<ServerMetadata>> metadata =
      new AtomicReference<>();
  private final KnownExtensions knownExtensions = new KnownExtensions(this::serverMetadata);

  private KServeGrpcClient(Builder b) {
    this.base = b.baseUri;
    NettyChannelBuilder channel =
        NettyChannelBuilder.forAddress(b.baseUri.getHost(), b.baseUri.getPort())
            .usePlaintext()
            // answers are as large as the server makes them; the server bounds requests
            .maxInboundMessageSize(Integer.MAX_VALUE)
            .withOption(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(b.connectTimeout.toMillis(), Integer.MAX_VALUE));
    if (b.executor != null) {
      channel.executor(b.executor);
    } else {
      channel.directExecutor();
    }
    this.channel = channel.build();
    this.stub = GRPCInferenceServiceGrpc.newStub(this.channel);
    this.defaultTimeout = b.requestTimeout;
    this.defaultEncoding = b.encoding;
  }

  /** A builder for a client of {@code grpc://host:port}. */
  public static Builder builder(URI baseUri) {
    return new Builder(baseUri);
  }

  @Override
  public URI baseUri() {
    return base;
  }

  // ---------------------------------------------------------------- health and metadata

  @Override
  public CompletableFuture<Boolean> live() {
    return falseOnErrorAnswer(
        call(
            defaultTimeout,
            (s, o) -> s.serverLive(ServerLiveRequest.getDefaultInstance(), o),
            ServerLiveResponse::getLive));
  }

  @Override
  public CompletableFuture<Boolean> ready() {
    return falseOnErrorAnswer(
        call(
            defaultTimeout,
            (s, o) -> s.serverReady(ServerReadyRequest.getDefaultInstance(), o),
            ServerReadyResponse::getReady));
  }

  @Override
  public CompletableFuture<Boolean> modelReady(String model, String version) {
    ModelReadyRequest request =
        ModelReadyRequest.newBuilder()
            .setName(Objects.requireNonNull(model, "model"))
            .setVersion(version == null ? "" : version)
            .build();
    return falseOnErrorAnswer(
        call(defaultTimeout, (s, o) -> s.modelReady(request, o), ModelReadyResponse::getReady));
  }

  @Override
  public CompletableFuture<ServerMetadata> serverMetadata() {
    CompletableFuture<ServerMetadata> cached = metadata.get();
    if (cached != null && !cached.isCompletedExceptionally()) {
      return cached.copy();
    }
    CompletableFuture<ServerMetadata> fresh =
        call(
            defaultTimeout,
            (s, o) -> s.serverMetadata(ServerMetadataRequest.getDefaultInstance(), o),
            (ServerMetadataResponse r) -> GrpcCodec.decode(r));
    metadata.set(fresh);
    return fresh.copy();
  }

  @Override
  public CompletableFuture<ModelMetadata> modelMetadata(String model, String version) {
    ModelMetadataRequest request =
        ModelMetadataRequest.newBuilder()
            .setName(Objects.requireNonNull(model, "model"))
            .setVersion(version == null ? "" : version)
            .build();
    return call(
        defaultTimeout,
        (s, o) -> s.modelMetadata(request, o),
        (ModelMetadataResponse r) -> GrpcCodec.decode(r));
  }

  @Override
  public CompletableFuture<List<ModelStatistics>> statistics(String model, String version) {
    ModelStatisticsRequest request =
        ModelStatisticsRequest.newBuilder()
            .setName(model == null ? "" : model)
            .setVersion(model == null || version == null ? "" : version)
            .build();
    return typed(
        extensions()
            .thenCompose(
                server -> {
                  if (!server.supports(ServerMetadata.STATISTICS)) {
                    throw new UnsupportedExtensionException(
                        base + " does not support the statistics extension");
                  }
                  return call(
                      defaultTimeout,
                      (s, o) -> s.modelStatistics(request, o),
                      ModelStatisticsProto::fromProto);
                }));
  }

  // ---------------------------------------------------------------- inference

  /**
   * {@code ModelInfer}: tensors as raw contents (typed contents with {@link TensorEncoding#JSON}).
   * The deadline is the whole call's timeout, a first server-metadata lookup included.
   */
  @Override
  public CompletableFuture<InferResponse> infer(
      String model, String version, InferRequest request, InferOptions options) {
    Objects.requireNonNull(model, "model");
    Duration timeout = options.timeout() != null ? options.timeout() : defaultTimeout;
    long deadline = System.nanoTime() + timeout.toNanos();
    TensorEncoding encoding = options.encoding() != null ? options.encoding() : defaultEncoding;
    return typed(
        extensions()
            .thenCompose(
                server -> {
                  long leftNanos = deadline - System.nanoTime();
                  if (leftNanos <= 0) {
                    throw new InferenceTimeoutException("no time left for " + model, null);
                  }
                  InferRequest wire =
                      ScheduleParameters.add(request, server, leftNanos, options.priority());
                  ModelInferRequest message;
                  try {
                    message =
                        GrpcCodec.encodeRequest(
                            model, version, wire, encoding == TensorEncoding.BINARY);
                  } catch (ProtocolException e) {
                    throw new IllegalArgumentException(
                        "invalid inference request: " + e.getMessage(), e);
                  }
                  return call(
                      Duration.ofNanos(leftNanos),
                      (s, o) -> s.modelInfer(message, o),
                      this::decodeResponse);
                }));
  }

  private InferResponse decodeResponse(ModelInferResponse response) {
    try {
      return GrpcCodec.decodeResponse(response);
    } catch (ProtocolException e) {
      throw new MalformedResponseException(
          "malformed inference response from " + base + ": " + e.getMessage(), e);
    }
  }

  /** Closes the channel; calls in flight fail. */
  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- plumbing

  private CompletableFuture<ServerMetadata> extensions() {
    return knownExtensions.get();
  }

  /** One unary call with a deadline; the future fails with the typed exception itself. */
  private <M, T> CompletableFuture<T> call(
      Duration timeout,
      BiConsumer<GRPCInferenceServiceStub, StreamObserver<M>> invoke,
      Function<M, T> convert) {
    CompletableFuture<T> result = new CompletableFuture<>();
    StreamObserver<M> observer =
        new StreamObserver<>() {
          @Override
          public void onNext(M message) {
            try {
              result.complete(convert.apply(message));
            } catch (RuntimeException e) {
              result.completeExceptionally(e);
            }
          }

          @Override
          public void onError(Throwable t) {
            result.completeExceptionally(GrpcFailures.fromGrpc(t, base));
          }

          @Override
          public void onCompleted() {
            if (!result.isDone()) {
              result.completeExceptionally(
                  new MalformedResponseException("no answer message from " + base, null));
            }
          }
        };
    try {
      invoke.accept(stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS), observer);
    } catch (RuntimeException e) {
      result.completeExceptionally(GrpcFailures.fromGrpc(e, base));
    }
    return result;
  }

  /** False for an error answer (as the HTTP client gives for a non-200 status). */
  private static CompletableFuture<Boolean> falseOnErrorAnswer(CompletableFuture<Boolean> call) {
    return typed(
        call.handle(
            (value, failure) -> {
              if (failure == null) {
                return value;
              }
              Throwable t = Failures.unwrap(failure);
              if (t instanceof InferenceServerException) {
                return false;
              }
              throw t instanceof RuntimeException r ? r : new KServeException(t.toString(), t);
            }));
  }

  /** The same outcome, but failing with the typed exception itself rather than a wrapper. */
  private static <T> CompletableFuture<T> typed(CompletableFuture<T> future) {
    CompletableFuture<T> result = new CompletableFuture<>();
    future.whenComplete(
        (value, failure) -> {
          if (failure != null) {
            result.completeExceptionally(Failures.unwrap(failure));
          } else {
            result.complete(value);
          }
        });
    return result;
  }

  /** Settings of a {@link KServeGrpcClient}. */
  public static final class Builder extends ClientBuilder<Builder> {

    private Builder(URI baseUri) {
      super(baseUri);
      if (!SCHEME.equals(baseUri.getScheme()) || baseUri.getHost() == null) {
        throw new IllegalArgumentException("a gRPC server URI is grpc://host:port, got " + baseUri);
      }
      if (baseUri.getPort() < 1) {
        throw new IllegalArgumentException("a gRPC server URI needs a port, got " + baseUri);
      }
    }

    @Override
    public KServeGrpcClient build() {
      return new KServeGrpcClient(this);
    }
  }
}
