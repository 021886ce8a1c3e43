package io.surge.serving.profile;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.surge.serving.client.InferOptions;
import io.surge.serving.client.KServeClient;
import io.surge.serving.client.TensorEncoding;
import io.surge.serving.engine.DeviceExecutor;
import io.surge.serving.ladder.GeneratedLadder;
import io.surge.serving.ladder.LadderOptions;
import io.surge.serving.ladder.ModelLadder;
import io.surge.serving.protocol.InferRequest;
import io.surge.serving.protocol.InferResponse;
import io.surge.serving.protocol.InferTensor;
import io.surge.serving.protocol.ModelMetadata;
import io.surge.serving.server.InferenceHttpServer;
import io.surge.serving.server.ServerOptions;
import io.surge.state.catalog.LatencyProfile;
import io.surge.state.onnx.OrtRuntime;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A small ladder served by the real engine and HTTP server: the profiler measures every model and
 * batch, and the server's answers equal a direct ONNX Runtime run.
 */
class ServingLadderITCase {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir static Path dir;
  private static GeneratedLadder ladder;
  private static DeviceExecutor executor;
  private static InferenceHttpServer server;
  private static KServeClient client;

  @BeforeAll
  static void serveSmallLadder() {
    LadderOptions options = LadderOptions.defaults().withScale(0.05);
    // a long queue timeout: on a busy test machine a request may wait longer than the 100 ms
    // deadline, and this test is about profiling and answers, not the deadline policy
    options = options.withBatching(options.batching().withQueueTimeoutMicros(30_000_000L));
    ladder = ModelLadder.generate(dir.resolve("ladder"), options);
    executor =
        DeviceExecutor.open(
            ladder.repository(), DeviceExecutor.Options.defaults().withIntraOpThreads(1));
    server = InferenceHttpServer.start(executor, ServerOptions.defaults());
    client = KServeClient.builder(server.baseUri()).requestTimeout(TIMEOUT).build();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (executor != null) {
      executor.close();
    }
  }

  @Test
  void profilerMeasuresEveryModelAtEveryBatch() {
    List<String> models = Profiler.servedModels(client, TIMEOUT);
    assertThat(models)
        .containsExactlyInAnyOrderElementsOf(
            ladder.models().stream().map(GeneratedLadder.Model::name).toList());
    CountingProgress progress = new CountingProgress();

    Profiler.Result result =
        new Profiler(client, new Profiler.Settings(List.of(1, 2), 2, 5, TIMEOUT))
            .measure("edge-0", models, progress);

    List<LatencyProfile.Entry> entries = result.profile().entries();
    assertThat(entries).hasSize(models.size() * 2);
    for (String model : models) {
      for (int batch : List.of(1, 2)) {
        LatencyProfile.Entry e = entry(entries, model, batch);
        assertThat(e.server()).isEqualTo("edge-0");
        assertThat(e.medianMs()).isPositive();
        assertThat(e.p95Ms()).isGreaterThanOrEqualTo(e.medianMs());
        assertThat(e.samples()).isEqualTo(5);
      }
    }
    assertThat(progress.total).isEqualTo(models.size() * 2L * (2 + 5));
    assertThat(progress.steps).isEqualTo(progress.total);
    assertThat(result.serverCompute())
        .hasSize(models.size() * 2)
        .allSatisfy(
            c -> {
              assertThat(c.executions()).isEqualTo(5);
              assertThat(c.meanMs()).isPositive();
            });
  }

  @Test
  void profileSurvivesItsJsonFile() {
    LatencyProfile profile =
        new Profiler(client, new Profiler.Settings(List.of(1), 0, 3, TIMEOUT))
            .profile("edge-0", List.of("resnet18-like"), ProgressListener.NONE);
    Path file = dir.resolve("profile.json");

    profile.write(file);

    assertThat(LatencyProfile.load(file).entries()).isEqualTo(profile.entries());
  }

  @ParameterizedTest
  @EnumSource(TensorEncoding.class)
  void serverAnswersEqualDirectOrtRun(TensorEncoding encoding) throws Exception {
    String model = "resnet34-like";
    ModelMetadata metadata = client.modelMetadata(model, null).get();
    InferRequest request = RandomInputs.request(metadata, 2);
    InferTensor input = request.inputs().get(0);

    InferResponse response =
        client.infer(model, null, request, InferOptions.defaults().withEncoding(encoding)).get();

    InferTensor logits = response.output("logits").orElseThrow();
    assertThat(logits.shape()).containsExactly(2, 1000);
    assertThat(logits.asFloats()).containsExactly(directRun(model, input));
  }

  private static float[] directRun(String model, InferTensor input) throws Exception {
    Path file =
        ladder.models().stream()
            .filter(m -> m.name().equals(model))
            .findFirst()
            .orElseThrow()
            .modelFile();
    OrtEnvironment env = OrtRuntime.environment();
    FloatBuffer data = input.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(file.toString(), options);
          OnnxTensor tensor = OnnxTensor.createTensor(env, data, input.shape());
          OrtSession.Result result = session.run(Map.of(input.name(), tensor))) {
        OnnxTensor out = (OnnxTensor) result.get(0);
        FloatBuffer values = out.getFloatBuffer();
        float[] flat = new float[values.remaining()];
        values.get(flat);
        return flat;
      }
    }
  }

  private static LatencyProfile.Entry entry(
      List<LatencyProfile.Entry> entries, String model, int batch) {
    return entries.stream()
        .filter(e -> e.model().equals(model) && e.batch() == batch)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no entry for " + model + " at batch " + batch));
  }

  /** Counts what the profiler reports. */
  private static final class CountingProgress implements ProgressListener {
    long total;
    long steps;

    @Override
    public void start(long totalSteps) {
      total = totalSteps;
    }

    @Override
    public void step() {
      steps++;
    }
  }
}
