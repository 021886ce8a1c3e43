package io.surge.serving.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surge.serving.client.KServeClient;
import io.surge.serving.engine.DeviceExecutor;
import io.surge.serving.engine.ModelConfig;
import io.surge.serving.engine.ModelConfig.TensorConfig;
import io.surge.serving.engine.ModelRepository;
import io.surge.serving.protocol.BodyCompression;
import io.surge.serving.protocol.Datatype;
import io.surge.serving.protocol.InferRequest;
import io.surge.serving.protocol.InferResponse;
import io.surge.serving.protocol.InferTensor;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triton's body compression on a real model: gzip and deflate request bodies, answers compressed as
 * {@code Accept-Encoding} asks, 415 for an unknown encoding, {@code versions/latest} not a version;
 * compressed with the JDK's own zlib, as any client would.
 */
class CompressionTest {

  private static final long MAX_BODY = 64 * 1024;
  private static final String BODY =
      "{\"id\":\"z\",\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\","
          + "\"data\":[1,2,3,4]}]}";

  @TempDir Path repo;
  private DeviceExecutor executor;
  private InferenceHttpServer server;
  private final HttpClient raw =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ObjectMapper mapper = new ObjectMapper();

  @BeforeEach
  void start() {
    ModelConfig config =
        ModelConfig.onnx(
            "id",
            8,
            List.of(new TensorConfig("x", Datatype.FP32, new long[] {4})),
            List.of(new TensorConfig("y", Datatype.FP32, new long[] {4})));
    ModelRepository.write(repo, config, 1, identityGraph());
    executor = DeviceExecutor.open(repo);
    server =
        InferenceHttpServer.start(
            executor, ServerOptions.defaults().withPort(0).withMaxBodyBytes(MAX_BODY));
  }

  @AfterEach
  void stop() {
    server.close();
    executor.close();
  }

  @Test
  void gzipAndDeflateBodiesAreDecompressed() throws Exception {
    for (String encoding : List.of("gzip", "deflate", "identity")) {
      HttpResponse<byte[]> answer =
          post(compress(encoding, BODY), Map.of("Content-Encoding", encoding));

      assertThat(answer.statusCode()).as(encoding).isEqualTo(200);
      assertThat(answer.headers().firstValue("Content-Encoding")).isEmpty();
      JsonNode json = mapper.readTree(answer.body());
      assertThat(json.at("/id").asText()).isEqualTo("z");
      assertThat(json.at("/outputs/0/data").toString()).isEqualTo("[1.0,2.0,3.0,4.0]");
    }
  }

  @Test
  void answersAreCompressedAsAcceptEncodingAsks() throws Exception {
    HttpResponse<byte[]> gzip = post(BODY.getBytes(UTF_8), Map.of("Accept-Encoding", "gzip"));
    HttpResponse<byte[]> preferDeflate =
        post(BODY.getBytes(UTF_8), Map.of("Accept-Encoding", "gzip;q=0.5, deflate;q=0.8, br"));
    HttpResponse<byte[]> none = post(BODY.getBytes(UTF_8), Map.of("Accept-Encoding", "br, zstd"));

    assertThat(gzip.headers().firstValue("Content-Encoding")).contains("gzip");
    assertThat(
            mapper
                .readTree(new GZIPInputStream(new java.io.ByteArrayInputStream(gzip.body())))
                .at("/id")
                .asText())
        .isEqualTo("z");
    // "br" has weight 1 but Triton only counts identity, deflate and gzip
    assertThat(preferDeflate.headers().firstValue("Content-Encoding")).contains("deflate");
    assertThat(
            mapper
                .readTree(
                    new InflaterInputStream(new java.io.ByteArrayInputStream(preferDeflate.body())))
                .at("/id")
                .asText())
        .isEqualTo("z");
    assertThat(none.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(mapper.readTree(none.body()).at("/id").asText()).isEqualTo("z");
  }

  @Test
  void unknownEncodingIs415WithTheSupportedOnes() throws Exception {
    HttpResponse<byte[]> answer = post(BODY.getBytes(UTF_8), Map.of("Content-Encoding", "br"));

    assertThat(answer.statusCode()).isEqualTo(415);
    assertThat(answer.headers().firstValue("Accept-Encoding")).contains("gzip, deflate");
    assertThat(mapper.readTree(answer.body()).at("/error").asText())
        .isEqualTo("Unsupported compression type");
  }

  @Test
  void corruptOrOversizedCompressedBodiesAreRefused() throws Exception {
    HttpResponse<byte[]> corrupt = post(BODY.getBytes(UTF_8), Map.of("Content-Encoding", "gzip"));
    // 1 MiB of zeros compresses to about a kilobyte: under the body limit, over it once inflated
    HttpResponse<byte[]> bomb =
        post(compress("gzip", "0".repeat(1 << 20)), Map.of("Content-Encoding", "gzip"));

    assertThat(corrupt.statusCode()).isEqualTo(400);
    assertThat(mapper.readTree(corrupt.body()).at("/error").asText())
        .startsWith("failed to decompress the gzip request body");
    assertThat(bomb.statusCode()).isEqualTo(413);
    assertThat(mapper.readTree(bomb.body()).at("/error").asText())
        .contains("decompressed gzip request body exceeds the limit of " + MAX_BODY);
  }

  @Test
  void binaryBodiesKeepTheUncompressedHeaderLength() throws Exception {
    for (BodyCompression compression : BodyCompression.values()) {
      KServeClient client =
          KServeClient.builder(server.baseUri())
              .requestCompression(compression)
              .responseCompression(compression)
              .build();

      InferResponse answer =
          client
              .infer(
                  "id",
                  InferRequest.of(
                      List.of(InferTensor.fp32("x", new long[] {1, 4}, new float[] {5, 6, 7, 8}))))
              .get(30, TimeUnit.SECONDS);

      assertThat(answer.output("y").orElseThrow().asFloats())
          .as(compression.name())
          .containsExactly(5, 6, 7, 8);
    }
  }

  @Test
  void latestIsNotAVersion() throws Exception {
    HttpResponse<byte[]> answer =
        raw.send(
            HttpRequest.newBuilder(URI.create(server.baseUri() + "/v2/models/id/versions/latest"))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(mapper.readTree(answer.body()).at("/error").asText())
        .isEqualTo("Request for unknown model: 'id' version latest is not found");
  }

  @Test
  void negotiationFollowsTritonsRule() {
    assertThat(BodyCompression.negotiate(null)).isEqualTo(BodyCompression.IDENTITY);
    assertThat(BodyCompression.negotiate("deflate, gzip")).isEqualTo(BodyCompression.DEFLATE);
    assertThat(BodyCompression.negotiate("gzip;q=0")).isEqualTo(BodyCompression.IDENTITY);
    assertThat(BodyCompression.negotiate("gzip;q=x, deflate;q=0.1"))
        .isEqualTo(BodyCompression.DEFLATE);
    assertThat(BodyCompression.negotiate("identity;q=0.9, gzip;q=0.3"))
        .isEqualTo(BodyCompression.IDENTITY);
  }

  /** {@code y = Identity(x)} over float [batch, 4]. */
  private static byte[] identityGraph() {
    OnnxMl.TypeProto type =
        OnnxMl.TypeProto.newBuilder()
            .setTensorType(
                OnnxMl.TypeProto.Tensor.newBuilder()
                    .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                    .setShape(
                        OnnxMl.TensorShapeProto.newBuilder()
                            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("b"))
                            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(4))))
            .build();
    OnnxMl.GraphProto graph =
        OnnxMl.GraphProto.newBuilder()
            .setName("identity")
            .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(type))
            .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y").setType(type))
            .addNode(
                OnnxMl.NodeProto.newBuilder().setOpType("Identity").addInput("x").addOutput("y"))
            .build();
    return OnnxMl.ModelProto.newBuilder()
        .setIrVersion(8)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
        .setGraph(graph)
        .build()
        .toByteArray();
  }

  private HttpResponse<byte[]> post(byte[] body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.baseUri() + "/v2/models/id/infer"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return raw.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static byte[] compress(String encoding, String text) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (encoding) {
      case "gzip" -> {
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
          z.write(text.getBytes(UTF_8));
        }
      }
      case "deflate" -> {
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
          z.write(text.getBytes(UTF_8));
        }
      }
      default -> out.writeBytes(text.getBytes(UTF_8));
    }
    return out.toByteArray();
  }
}
