package io.surge.serving.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.surge.serving.engine.ModelStatistics;
import io.surge.serving.engine.ModelStatisticsJson;
import io.surge.serving.protocol.BodyCompression;
import io.surge.serving.protocol.EncodedBody;
import io.surge.serving.protocol.HttpTransport;
import io.surge.serving.protocol.InferCodec;
import io.surge.serving.protocol.InferRequest;
import io.surge.serving.protocol.InferResponse;
import io.surge.serving.protocol.ModelMetadata;
import io.surge.serving.protocol.ProtocolException;
import io.surge.serving.protocol.RequestedOutput;
import io.surge.serving.protocol.ServerMetadata;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;

/**
 * A non-blocking Open Inference Protocol (KServe v2) HTTP client, compatible with NVIDIA Triton
 * (the gRPC one is {@link KServeGrpcClient}). Every call returns a future that fails with a {@link
 * KServeException} subtype. Thread-safe; one client per server keeps its HTTP/1.1 connections alive
 * and reuses them: a pool of Netty connections on one event loop of its own (the default), or the
 * JDK's {@code HttpClient} ({@link Builder#httpTransport}). Close it to release them.
 */
public final class KServeClient implements InferenceClient {

  private static final String CONTENT_ENCODING = "Content-Encoding";
  private static final String ACCEPT_ENCODING = "Accept-Encoding";

  private final URI base;
  private final HttpCaller http;
  private final Duration defaultTimeout;
  private final TensorEncoding defaultEncoding;
  private final String authorization;
  private final BodyCompression requestCompression;
  private final BodyCompression responseCompression;
  private final InferCodec codec = new InferCodec();
  private final ObjectMapper mapper = codec.mapper();
  private final AtomicReference<CompletableFuture<ServerMetadata>> metadata =
      new AtomicReference<>();
  private final KnownExtensions knownExtensions = new KnownExtensions(this::serverMetadata);

  private KServeClient(Builder b) {
    String uri = b.baseUri.toString();
    this.base = URI.create(uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri);
    this.http =
        b.httpTransport == HttpTransport.JDK
            ? new JdkHttpCaller(base, b.connectTimeout, b.sslContext, b.executor)
            : new NettyHttpCaller(base, b.connectTimeout, b.sslContext, b.executor);
    this.defaultTimeout = b.requestTimeout;
    this.defaultEncoding = b.encoding;
    this.authorization = b.bearerToken == null ? null : "Bearer " + b.bearerToken;
    this.requestCompression = b.requestCompression;
    this.responseCompression = b.responseCompression;
  }

  /** A builder for a client of the server at {@code baseUri}, e.g. {@code http://host:8000}. */
  public static Builder builder(URI baseUri) {
    return new Builder(baseUri);
  }

  public URI baseUri() {
    return base;
  }

  /** Closes the pooled connections and the client's thread; calls in flight fail. */
  @Override
  public void close() {
    http.close();
  }

  // ---------------------------------------------------------------- health and metadata

  /** {@code GET /v2/health/live}: true on 200, false on any other status. */
  public CompletableFuture<Boolean> live() {
    return statusIsOk("/v2/health/live");
  }

  /** {@code GET /v2/health/ready}: true on 200, false on any other status. */
  public CompletableFuture<Boolean> ready() {
    return statusIsOk("/v2/health/ready");
  }

  /** {@code GET /v2/models/{m}[/versions/{v}]/ready}; {@code version} may be null. */
  public CompletableFuture<Boolean> modelReady(String model, String version) {
    return statusIsOk(modelPath(model, version) + "/ready");
  }

  /**
   * {@code GET /v2}; the first successful answer is cached, since infer calls consult its
   * extensions.
   */
  public CompletableFuture<ServerMetadata> serverMetadata() {
    CompletableFuture<ServerMetadata> cached = metadata.get();
    if (cached != null && !cached.isCompletedExceptionally()) {
      return cached.copy();
    }
    CompletableFuture<ServerMetadata> fresh =
        typed(getOk("/v2", defaultTimeout).thenApply(body -> parse(body, ServerMetadata.class)));
    metadata.set(fresh);
    return fresh.copy();
  }

  /** {@code GET /v2/models/{m}[/versions/{v}]}; {@code version} may be null. */
  public CompletableFuture<ModelMetadata> modelMetadata(String model, String version) {
    return typed(
        getOk(modelPath(model, version), defaultTimeout)
            .thenApply(body -> parse(body, ModelMetadata.class)));
  }

  /**
   * {@code GET /v2/models[/{m}[/versions/{v}]]/stats} (Triton's statistics extension); a null model
   * means all models. Fails with {@link UnsupportedExtensionException} when the server does not
   * list {@code statistics}.
   */
  public CompletableFuture<List<ModelStatistics>> statistics(String model, String version) {
    String path = model == null ? "/v2/models/stats" : modelPath(model, version) + "/stats";
    return typed(
        extensions()
            .thenCompose(
                server -> {
                  if (!server.supports(ServerMetadata.STATISTICS)) {
                    throw new UnsupportedExtensionException(
                        base + " does not support the statistics extension");
                  }
                  return getOk(path, defaultTimeout);
                })
            .thenApply(this::parseStatistics));
  }

  // ---------------------------------------------------------------- inference

  /**
   * {@code POST /v2/models/{m}[/versions/{v}]/infer}. The timeout bounds the whole call (including
   * a first server-metadata lookup); when the server lists schedule_policy, the time left is sent
   * as the request's {@code timeout} parameter (microseconds) and a non-zero priority as {@code
   * priority}, unless the request already sets them.
   */
  public CompletableFuture<InferResponse> infer(
      String model, String version, InferRequest request, InferOptions options) {
    Duration timeout = options.timeout() != null ? options.timeout() : defaultTimeout;
    long deadline = System.nanoTime() + timeout.toNanos();
    TensorEncoding encoding = options.encoding() != null ? options.encoding() : defaultEncoding;
    String path = modelPath(model, version) + "/infer";
    return typed(
        extensionsWithin(timeout, path)
            .thenCompose(
                server -> {
                  long leftNanos = deadline - System.nanoTime();
                  if (leftNanos <= 0) {
                    throw new InferenceTimeoutException("no time left for " + path, null);
                  }
                  boolean binary =
                      encoding == TensorEncoding.BINARY
                          && server.supports(ServerMetadata.BINARY_TENSOR_DATA);
                  InferRequest wire =
                      prepare(request, server, binary, leftNanos, options.priority());
                  return send(path, encode(wire, binary), Duration.ofNanos(leftNanos));
                }));
  }

  private EncodedBody encode(InferRequest request, boolean binary) {
    try {
      return codec.encodeRequest(request, binary);
    } catch (ProtocolException e) {
      throw new IllegalArgumentException("invalid inference request: " + e.getMessage(), e);
    }
  }

  /** Adds the binary-output flags and the schedule_policy parameters the call asks for. */
  private static InferRequest prepare(
      InferRequest request, ServerMetadata server, boolean binary, long leftNanos, long priority) {
    InferRequest wire = request;
    if (binary) {
      wire = askBinaryOutputs(wire);
    }
    return ScheduleParameters.add(wire, server, leftNanos, priority);
  }

  private static InferRequest askBinaryOutputs(InferRequest request) {
    if (request.outputs().isEmpty()) {
      return request.parameters().containsKey(InferRequest.BINARY_DATA_OUTPUT)
          ? request
          : request.withParameter(InferRequest.BINARY_DATA_OUTPUT, true);
    }
    List<RequestedOutput> outputs =
        request.outputs().stream()
            .map(o -> o.binaryData() == null ? RequestedOutput.binary(o.name()) : o)
            .toList();
    return new InferRequest(request.id(), request.parameters(), request.inputs(), outputs);
  }

  private CompletableFuture<InferResponse> send(String path, EncodedBody body, Duration timeout) {
    Map<String, String> headers = headers();
    headers.put("Content-Type", body.contentType());
    if (body.hasBinaryData()) {
      // the uncompressed JSON length, as Triton's clients send it
      headers.put(EncodedBody.HEADER_LENGTH, Integer.toString(body.jsonLength()));
    }
    if (requestCompression != BodyCompression.IDENTITY) {
      headers.put(CONTENT_ENCODING, requestCompression.token());
    }
    if (responseCompression != BodyCompression.IDENTITY) {
      headers.put(ACCEPT_ENCODING, responseCompression.token());
    }
    HttpCall call =
        new HttpCall("POST", path, headers, requestCompression.compress(body.bytes()), timeout);
    return http.send(call)
        .thenApply(
            response -> {
              byte[] bytes = requireOk(response);
              String header = response.header(EncodedBody.HEADER_LENGTH);
              try {
                return codec.decodeResponse(
                    bytes, InferCodec.parseHeaderLength(header, bytes.length));
              } catch (ProtocolException e) {
                throw new MalformedResponseException(
                    "malformed inference response from " + base + path + ": " + e.getMessage(), e);
              }
            });
  }

  // ---------------------------------------------------------------- plumbing

  private CompletableFuture<ServerMetadata> extensions() {
    return knownExtensions.get();
  }

  /** {@link #extensions()}, failing with a client timeout once {@code timeout} has passed. */
  private CompletableFuture<ServerMetadata> extensionsWithin(Duration timeout, String path) {
    return extensions()
        .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .exceptionally(
            failure -> {
              Throwable t = Failures.unwrap(failure);
              if (t instanceof TimeoutException) {
                throw new InferenceTimeoutException("no server metadata in time for " + path, t);
              }
              throw t instanceof RuntimeException r ? r : new KServeException(t.toString(), t);
            });
  }

  private CompletableFuture<Boolean> statusIsOk(String path) {
    return typed(get(path, defaultTimeout).thenApply(response -> response.status() == 200));
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

  private CompletableFuture<byte[]> getOk(String path, Duration timeout) {
    return get(path, timeout).thenApply(this::requireOk);
  }

  private CompletableFuture<HttpAnswer> get(String path, Duration timeout) {
    return http.send(new HttpCall("GET", path, headers(), null, timeout));
  }

  /** The headers of every call. */
  private Map<String, String> headers() {
    Map<String, String> headers = new HashMap<>();
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    return headers;
  }

  /** The body of a 200 answer, decompressed when the server compressed it. */
  private byte[] requireOk(HttpAnswer response) {
    if (response.status() != 200) {
      throw Failures.fromStatus(response.status(), response.body(), mapper);
    }
    String encoding = response.header(CONTENT_ENCODING);
    BodyCompression compression = BodyCompression.ofContentEncoding(encoding);
    if (compression == null) {
      throw new MalformedResponseException(
          "answer from " + response.uri() + " in unknown Content-Encoding " + encoding, null);
    }
    try {
      return compression.decompress(response.body(), Integer.MAX_VALUE - 8);
    } catch (ProtocolException e) {
      throw new MalformedResponseException(
          "answer from " + response.uri() + ": " + e.getMessage(), e);
    }
  }

  private <T> T parse(byte[] body, Class<T> type) {
    try {
      return mapper.readValue(body, type);
    } catch (IOException e) {
      throw new MalformedResponseException("malformed " + type.getSimpleName() + ": " + e, e);
    }
  }

  private List<ModelStatistics> parseStatistics(byte[] body) {
    try {
      return ModelStatisticsJson.fromJson(mapper.readTree(body));
    } catch (IOException | IllegalArgumentException e) {
      throw new MalformedResponseException("malformed statistics: " + e.getMessage(), e);
    }
  }

  private static String modelPath(String model, String version) {
    Objects.requireNonNull(model, "model");
    String path = "/v2/models/" + segment(model);
    return version == null ? path : path + "/versions/" + segment(version);
  }

  private static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Settings of a {@link KServeClient}. */
  public static final class Builder extends ClientBuilder<Builder> {
    private SSLContext sslContext;
    private String bearerToken;
    private BodyCompression requestCompression = BodyCompression.IDENTITY;
    private BodyCompression responseCompression = BodyCompression.IDENTITY;
    private HttpTransport httpTransport = HttpTransport.NETTY;

    private Builder(URI baseUri) {
      super(baseUri);
    }

    /** TLS settings for an {@code https} base URI. */
    public Builder sslContext(SSLContext value) {
      this.sslContext = value;
      return this;
    }

    /** Sent as {@code Authorization: Bearer <token>} on every call. */
    public Builder bearerToken(String value) {
      this.bearerToken = value;
      return this;
    }

    /**
     * Compression of infer request bodies (default IDENTITY), sent with {@code Content-Encoding}:
     * worth it for large inputs over a slow link, not on localhost. A server that does not know the
     * encoding answers 415 (Triton: 501).
     */
    public Builder requestCompression(BodyCompression value) {
      this.requestCompression = Objects.requireNonNull(value);
      return this;
    }

    /**
     * The compression asked of infer answers with {@code Accept-Encoding} (default IDENTITY: none
     * asked). Compressed answers are decompressed whatever was asked.
     */
    public Builder responseCompression(BodyCompression value) {
      this.responseCompression = Objects.requireNonNull(value);
      return this;
    }

    /** The HTTP implementation (default NETTY: pooled kept-alive connections). */
    public Builder httpTransport(HttpTransport value) {
      this.httpTransport = Objects.requireNonNull(value);
      return this;
    }

    @Override
    public KServeClient build() {
      return new KServeClient(this);
    }
  }
}
