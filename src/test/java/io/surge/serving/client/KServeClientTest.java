package io.surge.serving.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.surge.serving.engine.ModelStatistics;
import io.surge.serving.protocol.Datatype;
import io.surge.serving.protocol.InferRequest;
import io.surge.serving.protocol.InferResponse;
import io.surge.serving.protocol.InferTensor;
import io.surge.serving.protocol.ModelMetadata;
import io.surge.serving.protocol.RequestedOutput;
import io.surge.serving.protocol.ServerMetadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against canned answers written from the protocol's own examples. */
class KServeClientTest {

  private static final String ALL_EXTENSIONS =
      "{\"name\":\"triton\",\"version\":\"2.41.0\",\"extensions\":[\"classification\","
          + "\"sequence\",\"model_repository\",\"schedule_policy\",\"model_configuration\","
          + "\"system_shared_memory\",\"cuda_shared_memory\",\"binary_tensor_data\","
          + "\"parameters\",\"statistics\",\"trace\",\"logging\"]}";

  private static final String FP32_OUTPUT_JSON =
      "{\"model_name\":\"simple\",\"model_version\":\"1\",\"id\":\"42\",\"outputs\":[{\"name\":"
          + "\"OUTPUT0\",\"datatype\":\"FP32\",\"shape\":[3,2],\"data\":[1,2,3,4,5,6]}]}";

  private final CannedServer server = new CannedServer();
  private final CountDownLatch release = new CountDownLatch(1);
  private final ExecutorService clientThreads = Executors.newFixedThreadPool(2);
  private KServeClient client;

  @BeforeEach
  void start() throws IOException {
    server.start();
    client =
        KServeClient.builder(server.uri())
            .executor(clientThreads)
            .bearerToken("s3cret")
            .requestTimeout(Duration.ofSeconds(10))
            .build();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop();
    clientThreads.shutdownNow();
  }

  @Test
  void healthCallsLookOnlyAtTheStatus() throws Exception {
    server.answer("/v2/health/live", 200, "", Map.of());
    server.answer("/v2/health/ready", 400, "{\"error\":\"not ready\"}", Map.of());
    server.answer("/v2/models/simple/versions/1/ready", 200, "", Map.of());

    assertThat(await(client.live())).isTrue();
    assertThat(await(client.ready())).isFalse();
    assertThat(await(client.modelReady("simple", "1"))).isTrue();
    assertThat(await(client.modelReady("other", null))).isFalse();
    assertThat(server.requests.get(0).headers.get("authorization")).isEqualTo("Bearer s3cret");
  }

  @Test
  void serverMetadataIsParsedAndCached() throws Exception {
    server.answer("/v2", 200, ALL_EXTENSIONS, Map.of());

    ServerMetadata first = await(client.serverMetadata());
    ServerMetadata second = await(client.serverMetadata());

    assertThat(first.name()).isEqualTo("triton");
    assertThat(first.supports(ServerMetadata.BINARY_TENSOR_DATA)).isTrue();
    assertThat(second).isEqualTo(first);
    assertThat(server.count("/v2")).isEqualTo(1);
  }

  @Test
  void modelMetadataIsParsed() throws Exception {
    server.answer(
        "/v2/models/simple",
        200,
        "{\"name\":\"simple\",\"versions\":[\"1\"],\"platform\":\"tensorflow_graphdef\","
            + "\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"INT32\",\"shape\":[-1,16]}],"
            + "\"outputs\":[{\"name\":\"OUTPUT0\",\"datatype\":\"INT32\",\"shape\":[-1,16]}]}",
        Map.of());

    ModelMetadata metadata = await(client.modelMetadata("simple", null));

    assertThat(metadata.platform()).isEqualTo("tensorflow_graphdef");
    assertThat(metadata.inputs())
        .containsExactly(new ModelMetadata.TensorSpec("INPUT0", "INT32", new long[] {-1, 16}));
    assertThat(metadata.versions()).containsExactly("1");
  }

  @Test
  void jsonInferSendsJsonAndReadsTheOutputs() throws Exception {
    server.answer("/v2", 200, ALL_EXTENSIONS, Map.of());
    server.answer("/v2/models/simple/infer", 200, FP32_OUTPUT_JSON, Map.of());
    InferRequest request =
        new InferRequest(
            "42", Map.of(), List.of(fp32Input()), List.of(RequestedOutput.of("OUTPUT0")));

    InferResponse response =
        await(
            client.infer(
                "simple",
                null,
                request,
                InferOptions.defaults().withEncoding(TensorEncoding.JSON)));

    assertThat(response.id()).isEqualTo("42");
    assertThat(response.output("OUTPUT0").orElseThrow().asFloats())
        .containsExactly(1, 2, 3, 4, 5, 6);
    Received sent = server.last("/v2/models/simple/infer");
    assertThat(sent.headers).doesNotContainKey("inference-header-content-length");
    assertThat(sent.headers.get("content-type")).isEqualTo("application/json");
    JsonNode json = new ObjectMapper().readTree(sent.body);
    assertThat(json.at("/inputs/0/data/2").floatValue()).isEqualTo(3f);
  }

  @Test
  void binaryInferFollowsTheSpecExample() throws Exception {
    server.answer("/v2", 200, ALL_EXTENSIONS, Map.of());
    byte[] header =
        ("{\"outputs\":[{\"name\":\"output0\",\"shape\":[3,2],\"datatype\":\"FP32\","
                + "\"parameters\":{\"binary_data_size\":24}}]}")
            .getBytes(UTF_8);
    byte[] floats =
        le(24).putFloat(1).putFloat(2).putFloat(3).putFloat(4).putFloat(5).putFloat(6).array();
    server.answer(
        "/v2/models/mymodel/infer",
        200,
        concat(header, floats),
        Map.of("Inference-Header-Content-Length", Integer.toString(header.length)));
    InferTensor input0 =
        new InferTensor(
            "input0",
            Datatype.UINT32,
            new long[] {2, 2},
            le(16).putInt(1).putInt(2).putInt(3).putInt(4).flip());
    InferTensor input1 =
        new InferTensor(
            "input1", Datatype.BOOL, new long[] {3}, ByteBuffer.wrap(new byte[] {1, 0, 1}));
    InferRequest request =
        new InferRequest(
            null, Map.of(), List.of(input0, input1), List.of(RequestedOutput.of("output0")));

    InferResponse response = await(client.infer("mymodel", request));

    assertThat(response.output("output0").orElseThrow().asFloats())
        .containsExactly(1, 2, 3, 4, 5, 6);
    Received sent = server.last("/v2/models/mymodel/infer");
    int jsonLength = Integer.parseInt(sent.headers.get("inference-header-content-length"));
    assertThat(sent.body.length).isEqualTo(jsonLength + 19);
    assertThat(Long.parseLong(sent.headers.get("content-length"))).isEqualTo(jsonLength + 19L);
    JsonNode json = new ObjectMapper().readTree(new String(sent.body, 0, jsonLength, UTF_8));
    assertThat(json.at("/outputs/0/parameters/binary_data").asBoolean()).isTrue();
    assertThat(json.at("/inputs/1/parameters/binary_data_size").asInt()).isEqualTo(3);
  }

  @Test
  void binaryFallsBackToJsonWhenTheServerLacksTheExtension() throws Exception {
    server.answer(
        "/v2", 200, "{\"name\":\"kserve\",\"version\":\"1\",\"extensions\":[]}", Map.of());
    server.answer("/v2/models/simple/infer", 200, FP32_OUTPUT_JSON, Map.of());

    await(client.infer("simple", InferRequest.of(List.of(fp32Input()))));

    Received sent = server.last("/v2/models/simple/infer");
    assertThat(sent.headers).doesNotContainKey("inference-header-content-length");
    JsonNode json = new ObjectMapper().readTree(sent.body);
    assertThat(json.at("/inputs/0/data").isArray()).isTrue();
    assertThat(json.at("/parameters/timeout").isMissingNode()).isTrue();
  }

  @Test
  void schedulePolicyParametersCarryTheSlackAndPriority() throws Exception {
    server.answer("/v2", 200, ALL_EXTENSIONS, Map.of());
    server.answer("/v2/models/simple/infer", 200, FP32_OUTPUT_JSON, Map.of());
    InferOptions options =
        InferOptions.defaults()
            .withTimeout(Duration.ofMillis(2500))
            .withPriority(3)
            .withEncoding(TensorEncoding.JSON);

    await(client.infer("simple", null, InferRequest.of(List.of(fp32Input())), options));

    JsonNode json = new ObjectMapper().readTree(server.last("/v2/models/simple/infer").body);
    assertThat(json.at("/parameters/timeout").asLong()).isBetween(1L, 2_500_000L);
    assertThat(json.at("/parameters/priority").asLong()).isEqualTo(3);
  }

  @Test
  void errorStatusesMapToTypedExceptions() throws Exception {
    server.answer("/v2", 200, ALL_EXTENSIONS, Map.of());
    assertThat(inferFailure(400, "{\"error\":\"unexpected shape for input 'INPUT0'\"}"))
        .isInstanceOf(InvalidInferenceRequestException.class)
        .hasMessage("unexpected shape for input 'INPUT0'");
    assertThat(
            inferFailure(404, "{\"error\":\"Request for unknown model: 'simple' is not found\"}"))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("unknown model");
    Throwable timeout = inferFailure(503, "{\"error\":\"Request timeout expired\"}");
    assertThat(timeout).isInstanceOf(ServerUnavailableException.class);
    assertThat(((ServerUnavailableException) timeout).isQueueTimeout()).isTrue();
    Throwable full = inferFailure(503, "{\"error\":\"Exceeds maximum queue size\"}");
    assertThat(((ServerUnavailableException) full).isQueueFull()).isTrue();
    assertThat(((ServerUnavailableException) full).isQueueTimeout()).isFalse();
    assertThat(inferFailure(500, "{\"error\":\"onnx runtime error 6\"}"))
        .isInstanceOf(ServerErrorException.class)
        .hasMessage("onnx runtime error 6");
    Throwable unsupported = inferFailure(501, "{\"error\":\"not implemented\"}");
    assertThat(((InferenceServerException) unsupported).status()).isEqualTo(501);
    assertThat(unsupported).isInstanceOf(ServerErrorException.class);
    Throwable tooLarge = inferFailure(413, "<html>too large</html>");
    assertThat(tooLarge).isExactlyInstanceOf(InferenceServerException.class);
    assertThat(((InferenceServerException) tooLarge).status()).isEqualTo(413);
    assertThat(tooLarge).hasMessageContaining("too large");
  }

  @Test
  void malformedSuccessBodyIsItsOwnError() throws Exception {
    server.answer("/v2", 200, ALL_EXTENSIONS, Map.of());
    server.answer("/v2/models/simple/infer", 200, "{\"outputs\":[{\"name\":\"x\"}]}", Map.of());

    assertThat(failure(client.infer("simple", InferRequest.of(List.of(fp32Input())))))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("'datatype' must be a string");
  }

  @Test
  void noAnswerInTimeIsAClientTimeout() throws Exception {
    server.answer("/v2", 200, ALL_EXTENSIONS, Map.of());
    server.hang("/v2/models/slow/infer", release);

    Throwable t =
        failure(
            client.infer(
                "slow",
                null,
                InferRequest.of(List.of(fp32Input())),
                InferOptions.defaults().withTimeout(Duration.ofMillis(300))));

    assertThat(t).isInstanceOf(InferenceTimeoutException.class);
  }

  @Test
  void refusedConnectionIsUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    KServeClient nowhere =
        KServeClient.builder(URI.create("http://127.0.0.1:" + closedPort))
            .executor(clientThreads)
            .build();

    assertThat(failure(nowhere.live())).isInstanceOf(ServerUnreachableException.class);
    assertThat(failure(nowhere.infer("m", InferRequest.of(List.of(fp32Input())))))
        .isInstanceOf(ServerUnreachableException.class);
  }

  @Test
  void statisticsAreParsedFromTritonsShape() throws Exception {
    server.answer("/v2", 200, ALL_EXTENSIONS, Map.of());
    server.answer(
        "/v2/models/simple/stats",
        200,
        "{\"model_stats\":[{\"name\":\"simple\",\"version\":\"1\",\"last_inference\":1700000000000,"
            + "\"inference_count\":12,\"execution_count\":4,\"inference_stats\":{"
            + "\"success\":{\"count\":12,\"ns\":9000},\"fail\":{\"count\":1,\"ns\":10},"
            + "\"queue\":{\"count\":12,\"ns\":3000},\"compute_input\":{\"count\":4,\"ns\":100},"
            + "\"compute_infer\":{\"count\":4,\"ns\":5000},\"compute_output\":{\"count\":4,\"ns\":200},"
            + "\"cache_hit\":{\"count\":0,\"ns\":0}},\"batch_stats\":[{\"batch_size\":3,"
            + "\"compute_input\":{\"count\":4,\"ns\":100},\"compute_infer\":{\"count\":4,\"ns\":5000},"
            + "\"compute_output\":{\"count\":4,\"ns\":200}}],\"memory_usage\":[]}]}",
        Map.of());

    List<ModelStatistics> stats = await(client.statistics("simple", null));

    assertThat(stats).hasSize(1);
    ModelStatistics s = stats.get(0);
    assertThat(s.inferenceCount()).isEqualTo(12);
    assertThat(s.executionCount()).isEqualTo(4);
    assertThat(s.queue()).isEqualTo(new ModelStatistics.Stat(12, 3000));
    assertThat(s.batchStats().get(0).batchSize()).isEqualTo(3);
  }

  @Test
  void statisticsNeedTheExtension() throws Exception {
    server.answer(
        "/v2", 200, "{\"name\":\"mlserver\",\"version\":\"1\",\"extensions\":[]}", Map.of());

    assertThat(failure(client.statistics(null, null)))
        .isInstanceOf(UnsupportedExtensionException.class);
  }

  // ------------------------------------------------------------ helpers

  private Throwable inferFailure(int status, String body) throws Exception {
    server.answer("/v2/models/simple/infer", status, body, Map.of());
    return failure(client.infer("simple", InferRequest.of(List.of(fp32Input()))));
  }

  private static InferTensor fp32Input() {
    return InferTensor.fp32("INPUT0", new long[] {1, 3}, new float[] {1, 2, 3});
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

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }

  /** What the canned server received. */
  private record Received(String path, Map<String, String> headers, byte[] body) {}

  /** A tiny JDK HTTP server answering each path with a canned status, headers and body. */
  private static final class CannedServer {
    private final Map<String, Canned> answers = new ConcurrentHashMap<>();
    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private HttpServer http;

    private record Canned(
        int status, byte[] body, Map<String, String> headers, CountDownLatch hang) {}

    void start() throws IOException {
      http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      http.createContext("/", this::handle);
      http.setExecutor(threads);
      http.start();
    }

    void stop() {
      http.stop(0);
      threads.shutdownNow();
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    void answer(String path, int status, String body, Map<String, String> headers) {
      answer(path, status, body.getBytes(UTF_8), headers);
    }

    void answer(String path, int status, byte[] body, Map<String, String> headers) {
      answers.put(path, new Canned(status, body, headers, null));
    }

    void hang(String path, CountDownLatch release) {
      answers.put(path, new Canned(200, new byte[0], Map.of(), release));
    }

    long count(String path) {
      return requests.stream().filter(r -> r.path.equals(path)).count();
    }

    Received last(String path) {
      return requests.stream().filter(r -> r.path.equals(path)).reduce((a, b) -> b).orElseThrow();
    }

    private void handle(HttpExchange exchange) throws IOException {
      String path = exchange.getRequestURI().getPath();
      Map<String, String> headers = new ConcurrentHashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
      requests.add(new Received(path, headers, exchange.getRequestBody().readAllBytes()));
      Canned canned =
          answers.getOrDefault(
              path, new Canned(404, "{\"error\":\"Not Found\"}".getBytes(UTF_8), Map.of(), null));
      if (canned.hang != null) {
        awaitQuietly(canned.hang);
      }
      canned.headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      exchange.sendResponseHeaders(
          canned.status, canned.body.length == 0 ? -1 : canned.body.length);
      exchange.getResponseBody().write(canned.body);
      exchange.close();
    }

    private static void awaitQuietly(CountDownLatch latch) {
      try {
        latch.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
