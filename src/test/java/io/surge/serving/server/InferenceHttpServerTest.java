package io.surge.serving.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.surge.serving.client.InferOptions;
import io.surge.serving.client.InferenceClient;
import io.surge.serving.client.InferenceClients;
import io.surge.serving.client.InferenceServerException;
import io.surge.serving.client.InvalidInferenceRequestException;
import io.surge.serving.client.KServeClient;
import io.surge.serving.client.ModelNotFoundException;
import io.surge.serving.client.ServerErrorException;
import io.surge.serving.client.ServerUnavailableException;
import io.surge.serving.client.ServerUnreachableException;
import io.surge.serving.client.TensorEncoding;
import io.surge.serving.engine.ModelExecutor;
import io.surge.serving.engine.ModelInfo;
import io.surge.serving.engine.ModelInfo.TensorMetadata;
import io.surge.serving.engine.ModelStatistics;
import io.surge.serving.engine.ModelStatistics.Stat;
import io.surge.serving.grpc.v2.GRPCInferenceServiceGrpc;
import io.surge.serving.grpc.v2.ModelInferRequest;
import io.surge.serving.protocol.GrpcCodec;
import io.surge.serving.protocol.HttpTransport;
import io.surge.serving.protocol.InferRequest;
import io.surge.serving.protocol.InferResponse;
import io.surge.serving.protocol.InferTensor;
import io.surge.serving.protocol.ModelMetadata;
import io.surge.serving.protocol.RequestedOutput;
import io.surge.serving.protocol.ServerMetadata;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Compliance of the client against the server over a doubling model, and the server's defences: the
 * same cases over KServe v2 HTTP (Netty, and the JDK's server and client) and gRPC (the servers
 * share one executor, as in {@code surge serve}); the raw HTTP cases run once per HTTP transport.
 */
@ParameterizedClass(name = "over {0}")
@EnumSource(InferenceHttpServerTest.Transport.class)
class InferenceHttpServerTest {

  /** The protocol the client speaks in a run of this class. */
  enum Transport {
    HTTP,
    HTTP_JDK,
    GRPC
  }

  private static final long MAX_BODY = 4096;

  @Parameter Transport transport;

  private final DoublingExecutor executor = new DoublingExecutor();
  private final HttpClient raw =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ObjectMapper mapper = new ObjectMapper();
  private InferenceHttpServer server;
  private InferenceGrpcServer grpcServer;
  private InferenceClient client;
  private URI serverUri;

  @BeforeEach
  void start() {
    ServerOptions options =
        ServerOptions.defaults().withPort(0).withMaxBodyBytes(MAX_BODY).withThreads(4);
    HttpTransport http = transport == Transport.HTTP_JDK ? HttpTransport.JDK : HttpTransport.NETTY;
    server = InferenceHttpServer.start(executor, options.withHttpTransport(http));
    grpcServer = InferenceGrpcServer.start(executor, options);
    serverUri = transport == Transport.GRPC ? grpcServer.baseUri() : server.baseUri();
    client =
        transport == Transport.GRPC
            ? InferenceClients.builder(serverUri).requestTimeout(Duration.ofSeconds(10)).build()
            : KServeClient.builder(serverUri)
                .httpTransport(http)
                .requestTimeout(Duration.ofSeconds(10))
                .build();
  }

  @AfterEach
  void stop() {
    executor.release.countDown();
    client.close();
    grpcServer.close();
    server.close();
  }

  // ------------------------------------------------------------ health and metadata

  @Test
  void boundPortIsExposedAndHealthAnswers() throws Exception {
    assertThat(server.port()).isPositive();
    assertThat(await(client.live())).isTrue();
    assertThat(await(client.ready())).isTrue();
    assertThat(await(client.modelReady("double", null))).isTrue();
    assertThat(await(client.modelReady("double", "1"))).isTrue();
    assertThat(await(client.modelReady("double", "7"))).isFalse();
    assertThat(await(client.modelReady("nope", null))).isFalse();
  }

  @Test
  void metadataListsExtensionsAndModelTensors() throws Exception {
    ServerMetadata metadata = await(client.serverMetadata());
    ModelMetadata model = await(client.modelMetadata("double", "1"));

    assertThat(metadata.extensions())
        .contains(
            ServerMetadata.BINARY_TENSOR_DATA,
            ServerMetadata.STATISTICS,
            ServerMetadata.SCHEDULE_POLICY);
    assertThat(model.versions()).containsExactly("1");
    assertThat(model.inputs())
        .containsExactly(new ModelMetadata.TensorSpec("INPUT0", "FP32", new long[] {-1, 4}));
    assertThat(model.outputs())
        .extracting(ModelMetadata.TensorSpec::name)
        .containsExactly("OUTPUT0", "OUTPUT1");
  }

  // ------------------------------------------------------------ inference

  @Test
  void jsonInferReturnsAllOutputsAndEchoesTheId() throws Exception {
    InferRequest request =
        new InferRequest("req-7", Map.of(), List.of(input(1, 2, 3, 4)), List.of());

    InferResponse response =
        await(
            client.infer(
                "double",
                null,
                request,
                InferOptions.defaults().withEncoding(TensorEncoding.JSON)));

    assertThat(response.id()).isEqualTo("req-7");
    assertThat(response.modelName()).isEqualTo("double");
    assertThat(response.modelVersion()).isEqualTo("1");
    assertThat(response.output("OUTPUT0").orElseThrow().asFloats()).containsExactly(2, 4, 6, 8);
    assertThat(response.output("OUTPUT1").orElseThrow().asFloats()).containsExactly(2, 3, 4, 5);
  }

  @Test
  void binaryInferReturnsOnlyTheRequestedOutput() throws Exception {
    InferRequest request =
        new InferRequest(
            "b", Map.of(), List.of(input(0.5f, -1, 8, 0)), List.of(RequestedOutput.of("OUTPUT0")));

    InferResponse response = await(client.infer("double", "1", request, InferOptions.defaults()));

    assertThat(response.outputs()).extracting(InferTensor::name).containsExactly("OUTPUT0");
    assertThat(response.outputs().get(0).asFloats()).containsExactly(1, -2, 16, 0);
    assertThat(response.id()).isEqualTo("b");
    assertThat(executor.lastOutputNames.get()).containsExactly("OUTPUT0");
  }

  @Test
  void binaryAnswerCarriesTheHeaderLengthAndExactBody() throws Exception {
    assumeTrue(transport != Transport.GRPC, "raw HTTP bodies");
    String json =
        "{\"inputs\":[{\"name\":\"INPUT0\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[[1,2,3,4]]}],"
            + "\"outputs\":[{\"name\":\"OUTPUT1\",\"parameters\":{\"binary_data\":true}}]}";

    HttpResponse<byte[]> answer = post("/v2/models/double/infer", json.getBytes(UTF_8), Map.of());

    assertThat(answer.statusCode()).isEqualTo(200);
    int jsonLength =
        Integer.parseInt(
            answer.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
    assertThat(answer.body().length).isEqualTo(jsonLength + 16);
    JsonNode header = mapper.readTree(new String(answer.body(), 0, jsonLength, UTF_8));
    assertThat(header.at("/outputs/0/parameters/binary_data_size").asInt()).isEqualTo(16);
    assertThat(header.at("/outputs").size()).isEqualTo(1);
  }

  @Test
  void timeoutAndPriorityReachTheExecutor() throws Exception {
    InferOptions options =
        InferOptions.defaults().withTimeout(Duration.ofSeconds(2)).withPriority(2);

    await(client.infer("double", null, InferRequest.of(List.of(input(1, 1, 1, 1))), options));

    assertThat(executor.lastTimeoutMicros.get()).isBetween(1L, 2_000_000L);
    assertThat(executor.lastPriority.get()).isEqualTo(2);
  }

  @Test
  void statisticsComeBackInTritonsShape() throws Exception {
    await(client.infer("double", InferRequest.of(List.of(input(1, 1, 1, 1)))));

    List<ModelStatistics> all = await(client.statistics(null, null));
    List<ModelStatistics> one = await(client.statistics("double", "1"));

    assertThat(all).extracting(ModelStatistics::name).containsExactly("double");
    assertThat(one.get(0).inferenceCount()).isEqualTo(1);
    assertThat(one.get(0).success()).isEqualTo(new Stat(1, 1000));
  }

  // ------------------------------------------------------------ errors through the client

  @Test
  void unknownModelIsNotFound() throws Exception {
    assertThat(failure(client.infer("nope", InferRequest.of(List.of(input(1, 2, 3, 4))))))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("'nope'");
    assertThat(failure(client.modelMetadata("double", "9")))
        .isInstanceOf(ModelNotFoundException.class);
  }

  @Test
  void shapeTheModelDoesNotTakeIsInvalid() throws Exception {
    InferTensor wrong = InferTensor.fp32("INPUT0", new long[] {1, 3}, new float[] {1, 2, 3});

    assertThat(failure(client.infer("double", InferRequest.of(List.of(wrong)))))
        .isInstanceOf(InvalidInferenceRequestException.class)
        .hasMessageContaining("unexpected shape [1, 3]");
    assertThat(await(client.live())).isTrue();
  }

  @Test
  void unknownRequestedOutputIsInvalid() throws Exception {
    InferRequest request =
        new InferRequest(
            null, Map.of(), List.of(input(1, 2, 3, 4)), List.of(RequestedOutput.of("OUTPUT9")));

    assertThat(failure(client.infer("double", request)))
        .isInstanceOf(InvalidInferenceRequestException.class)
        .hasMessageContaining("OUTPUT9");
  }

  @Test
  void oversizedBodyIs413AndTheServerStaysHealthy() throws Exception {
    float[] big = new float[2000];
    InferTensor tensor = InferTensor.fp32("INPUT0", new long[] {500, 4}, big);

    Throwable t = failure(client.infer("double", InferRequest.of(List.of(tensor))));

    assertThat(t)
        .isInstanceOf(InferenceServerException.class)
        .hasMessageContaining(
            transport == Transport.GRPC
                ? "exceeds maximum size 4096" // grpc-java's own words, as RESOURCE_EXHAUSTED
                : "exceeds the limit of 4096");
    assertThat(((InferenceServerException) t).status()).isEqualTo(413);
    assertThat(await(client.live())).isTrue();
  }

  @Test
  void bodyFarBeyondTheLimitStillGetsACleanAnswer() throws Exception {
    assumeTrue(transport != Transport.GRPC, "raw HTTP bodies");
    // 200 kB: larger than socket buffers, so the server answers before the body has arrived.
    byte[] huge = new byte[200_000];
    for (int i = 0; i < 3; i++) {
      assertError(post("/v2/models/double/infer", huge, Map.of()), 413, "200000 bytes exceeds");
    }
    InferTensor tensor = InferTensor.fp32("INPUT0", new long[] {50_000, 4}, new float[200_000]);
    Throwable t = failure(client.infer("double", InferRequest.of(List.of(tensor))));
    assertThat(((InferenceServerException) t).status()).isEqualTo(413);
    assertThat(await(client.live())).isTrue();
  }

  @Test
  void executorUnavailableIsATypedClientError() throws Exception {
    executor.nextFailure.set(new ModelExecutor.ExecutionException(503, "Request timeout expired"));

    Throwable t = failure(client.infer("double", InferRequest.of(List.of(input(1, 2, 3, 4)))));

    assertThat(t).isInstanceOf(ServerUnavailableException.class);
    assertThat(((ServerUnavailableException) t).isQueueTimeout()).isTrue();
  }

  @Test
  void unexpectedExecutorFailureIsA500() throws Exception {
    executor.nextFailure.set(new IllegalStateException("boom"));

    assertThat(failure(client.infer("double", InferRequest.of(List.of(input(1, 2, 3, 4))))))
        .isInstanceOf(ServerErrorException.class)
        .hasMessageContaining("boom");
    assertThat(await(client.live())).isTrue();
  }

  // ------------------------------------------------------------ hostile bodies, raw

  @Test
  void badBodiesGetClearErrorsAndTheServerStaysLive() throws Exception {
    assumeTrue(transport != Transport.GRPC, "raw HTTP bodies");
    assertBadRequest(json("{\"inputs\": [ {\"name\": "), "malformed JSON");
    assertBadRequest(json(input("FP64", "[1,4]", "[1,2,3,4]")), "expected datatype FP32, got FP64");
    assertBadRequest(json(input("FLOAT", "[1,4]", "[1,2,3,4]")), "unknown datatype 'FLOAT'");
    assertBadRequest(json(input("FP32", "[-1,4]", "[1,2,3,4]")), "negative dimension");
    assertBadRequest(json(input("FP32", "[9223372036854775807,4]", "[1]")), "overflows");
    assertBadRequest(
        json(input("FP32", "[100000000,4]", "[1]")), "more than the JSON body can carry");
    assertBadRequest(json(input("FP32", "[1,4]", "[1,2,3]")), "holds 4 elements but 'data' has 3");
    assertBadRequest(json(input("FP32", "[1,4]", "[1,2,3,\"x\"]")), "element 3");
    assertBadRequest(json("{\"inputs\":[],\"parameters\":{}}"), "request has no inputs");

    byte[] header =
        "{\"inputs\":[{\"name\":\"INPUT0\",\"shape\":[1,4],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":16}}]}"
            .getBytes(UTF_8);
    byte[] truncated = concat(header, new byte[9]);
    HttpResponse<byte[]> answer =
        post(
            "/v2/models/double/infer",
            truncated,
            Map.of("Inference-Header-Content-Length", "" + header.length));
    assertError(answer, 400, "needs 16 bytes but only 9 remain");
    answer =
        post(
            "/v2/models/double/infer",
            truncated,
            Map.of("Inference-Header-Content-Length", "999999"));
    assertError(answer, 400, "beyond the body");

    assertThat(await(client.live())).isTrue();
    assertThat(await(client.infer("double", InferRequest.of(List.of(input(1, 2, 3, 4))))).outputs())
        .hasSize(2);
  }

  @Test
  void badMessagesGetTritonsStatusesAndTheServerStaysLive() throws Exception {
    assumeTrue(transport == Transport.GRPC, "raw gRPC messages");
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", grpcServer.port()).usePlaintext().build();
    try {
      GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub =
          GRPCInferenceServiceGrpc.newBlockingStub(channel);
      ModelInferRequest good =
          GrpcCodec.encodeRequest(
              "double", null, InferRequest.of(List.of(input(1, 2, 3, 4))), true);

      assertStatus(
          stub,
          good.toBuilder().addRawInputContents(good.getRawInputContents(0)).build(),
          "INVALID_ARGUMENT",
          "expected 1 raw_input_contents (one per input), got 2");
      assertStatus(
          stub,
          good.toBuilder()
              .setRawInputContents(0, com.google.protobuf.ByteString.copyFrom(new byte[9]))
              .build(),
          "INVALID_ARGUMENT",
          "needs 16 bytes of data but has 9");
      assertStatus(
          stub,
          good.toBuilder().setInputs(0, good.getInputs(0).toBuilder().setDatatype("FLOAT")).build(),
          "INVALID_ARGUMENT",
          "unknown datatype 'FLOAT'");
      assertStatus(
          stub, good.toBuilder().setModelName("nope").build(), "NOT_FOUND", "'nope' is not found");
      assertStatus(
          stub,
          good.toBuilder()
              .setInputs(0, good.getInputs(0).toBuilder().clearShape().addShape(1).addShape(3))
              .setRawInputContents(0, com.google.protobuf.ByteString.copyFrom(new byte[12]))
              .build(),
          "INVALID_ARGUMENT",
          "unexpected shape [1, 3]");
      assertThat(stub.modelInfer(good).getRawOutputContentsCount()).isEqualTo(2);
    } finally {
      channel.shutdownNow();
    }
    assertThat(await(client.live())).isTrue();
  }

  private static void assertStatus(
      GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub,
      ModelInferRequest request,
      String code,
      String message) {
    try {
      stub.modelInfer(request);
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode().name()).isEqualTo(code);
      assertThat(e.getStatus().getDescription()).contains(message);
      return;
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void wrongMethodAndUnknownPathAreRefused() throws Exception {
    assumeTrue(transport != Transport.GRPC, "raw HTTP bodies");
    HttpResponse<byte[]> get =
        raw.send(
            HttpRequest.newBuilder(uri("/v2/models/double/infer")).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> unknown =
        raw.send(
            HttpRequest.newBuilder(uri("/v2/nothing/here")).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertError(get, 405, "GET is not allowed");
    assertError(unknown, 404, "Not Found");
  }

  // ------------------------------------------------------------ shutdown

  @Test
  void closeDrainsInFlightRequestsThenStopsListening() throws Exception {
    executor.hold = true;
    CompletableFuture<InferResponse> inFlight =
        client.infer("double", InferRequest.of(List.of(input(1, 2, 3, 4))));
    assertThat(executor.received.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> closing =
        CompletableFuture.runAsync(transport == Transport.GRPC ? grpcServer::close : server::close);
    executor.release.countDown();
    closing.get(10, TimeUnit.SECONDS);

    assertThat(await(inFlight).output("OUTPUT0").orElseThrow().asFloats())
        .containsExactly(2, 4, 6, 8);
    try (InferenceClient fresh = InferenceClients.builder(serverUri).build()) {
      assertThat(failure(fresh.live())).isInstanceOf(ServerUnreachableException.class);
    }
  }

  // ------------------------------------------------------------ helpers

  private void assertBadRequest(byte[] body, String message) throws Exception {
    assertError(post("/v2/models/double/infer", body, Map.of()), 400, message);
  }

  private void assertError(HttpResponse<byte[]> answer, int status, String message)
      throws Exception {
    assertThat(answer.statusCode()).isEqualTo(status);
    assertThat(mapper.readTree(answer.body()).get("error").asText()).contains(message);
  }

  private HttpResponse<byte[]> post(String path, byte[] body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    return raw.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private URI uri(String path) {
    return URI.create(server.baseUri() + path);
  }

  private static byte[] json(String text) {
    return text.getBytes(UTF_8);
  }

  private static String input(String datatype, String shape, String data) {
    return "{\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\""
        + datatype
        + "\",\"shape\":"
        + shape
        + ",\"data\":"
        + data
        + "}]}";
  }

  private static InferTensor input(float... values) {
    return InferTensor.fp32("INPUT0", new long[] {1, 4}, values);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(20, TimeUnit.SECONDS);
  }

  private static Throwable failure(CompletableFuture<?> future) throws Exception {
    try {
      future.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the call succeeded");
  }

  /** A fake executor: one model whose OUTPUT0 doubles and OUTPUT1 increments its FP32 input. */
  private static final class DoublingExecutor implements ModelExecutor {
    private static final long[] SHAPE = {-1, 4};
    private final ModelInfo model =
        new ModelInfo(
            "double",
            "1",
            "onnxruntime_onnx",
            List.of(new TensorMetadata("INPUT0", "FP32", SHAPE)),
            List.of(
                new TensorMetadata("OUTPUT0", "FP32", SHAPE),
                new TensorMetadata("OUTPUT1", "FP32", SHAPE)),
            8,
            Map.of("accuracy", "0.5"));
    final AtomicReference<RuntimeException> nextFailure = new AtomicReference<>();
    final AtomicReference<List<String>> lastOutputNames = new AtomicReference<>();
    final AtomicLong lastTimeoutMicros = new AtomicLong(-1);
    final AtomicLong lastPriority = new AtomicLong(-1);
    final AtomicLong inferences = new AtomicLong();
    final CountDownLatch received = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean hold;

    @Override
    public Collection<ModelInfo> models() {
      return List.of(model);
    }

    @Override
    public ModelInfo model(String name) {
      return model.name().equals(name) ? model : null;
    }

    @Override
    public CompletableFuture<ExecutionResult> infer(
        String name,
        List<InferTensor> inputs,
        List<String> outputNames,
        long timeoutMicros,
        int priority) {
      lastOutputNames.set(outputNames);
      lastTimeoutMicros.set(timeoutMicros);
      lastPriority.set(priority);
      received.countDown();
      RuntimeException failure = nextFailure.getAndSet(null);
      if (failure != null) {
        return CompletableFuture.failedFuture(failure);
      }
      inferences.incrementAndGet();
      InferTensor in = inputs.get(0);
      CompletableFuture<ExecutionResult> result = new CompletableFuture<>();
      Runnable run = () -> result.complete(new ExecutionResult(outputs(in, outputNames), 10, 20));
      if (hold) {
        CompletableFuture.runAsync(() -> awaitRelease(run));
      } else {
        run.run();
      }
      return result;
    }

    private void awaitRelease(Runnable run) {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      run.run();
    }

    private static List<InferTensor> outputs(InferTensor in, List<String> names) {
      float[] x = in.asFloats();
      float[] doubled = new float[x.length];
      float[] incremented = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        doubled[i] = 2 * x[i];
        incremented[i] = x[i] + 1;
      }
      List<InferTensor> all =
          List.of(
              InferTensor.fp32("OUTPUT0", in.shape(), doubled),
              InferTensor.fp32("OUTPUT1", in.shape(), incremented));
      return names.isEmpty() ? all : all.stream().filter(t -> names.contains(t.name())).toList();
    }

    @Override
    public ModelStatistics statistics(String name) {
      long n = inferences.get();
      Stat none = new Stat(0, 0);
      return new ModelStatistics(
          name, "1", 0, n, n, new Stat(n, 1000 * n), none, none, none, none, none, List.of());
    }

    @Override
    public void close() {}
  }
}
