package io.surge.serving.client;

import io.surge.serving.engine.ModelStatistics;
import io.surge.serving.protocol.InferRequest;
import io.surge.serving.protocol.InferResponse;
import io.surge.serving.protocol.ModelMetadata;
import io.surge.serving.protocol.ServerMetadata;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A non-blocking Open Inference Protocol (KServe v2) client of one server, over HTTP ({@link
 * KServeClient}) or gRPC ({@link KServeGrpcClient}); {@link InferenceClients} picks by the URI's
 * scheme. Every call returns a future that fails with a {@link KServeException} subtype, the same
 * for both protocols (a gRPC status arrives as the HTTP status Triton gives the same error).
 */
public interface InferenceClient extends AutoCloseable {

  /** The server's URI: {@code http://host:port} or {@code grpc://host:port}. */
  URI baseUri();

  /** Server liveness: true when live, false on an error answer. */
  CompletableFuture<Boolean> live();

  /** Server readiness: true when ready, false on an error answer. */
  CompletableFuture<Boolean> ready();

  /** Model readiness; {@code version} may be null. */
  CompletableFuture<Boolean> modelReady(String model, String version);

  /** Server name, version and extensions; the first successful answer is cached. */
  CompletableFuture<ServerMetadata> serverMetadata();

  /** A model's metadata; {@code version} may be null. */
  CompletableFuture<ModelMetadata> modelMetadata(String model, String version);

  /**
   * Triton's statistics extension; a null model means all models. Fails with {@link
   * UnsupportedExtensionException} when the server does not list {@code statistics}.
   */
  CompletableFuture<List<ModelStatistics>> statistics(String model, String version);

  /**
   * One inference. The timeout bounds the whole call; when the server lists schedule_policy, the
   * time left is sent as the request's {@code timeout} parameter (microseconds) and a non-zero
   * priority as {@code priority}, unless the request already sets them.
   */
  CompletableFuture<InferResponse> infer(
      String model, String version, InferRequest request, InferOptions options);

  /** An infer call with the client's default timeout and encoding. */
  default CompletableFuture<InferResponse> infer(String model, InferRequest request) {
    return infer(model, null, request, InferOptions.defaults());
  }

  /** Releases connections and threads; calls in flight may fail. */
  @Override
  default void close() {}
}
