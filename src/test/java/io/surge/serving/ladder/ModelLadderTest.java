package io.surge.serving.ladder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.surge.state.catalog.Catalog;
import io.surge.state.onnx.OrtRuntime;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated repository, configs, catalog and models, at the small test scale. */
class ModelLadderTest {

  private static final double TEST_SCALE = 0.05;
  private static final List<String> NAMES =
      List.of(
          "resnet18-like", "resnet34-like", "resnet50-like", "resnet101-like", "resnet152-like");
  private static final List<String> ACCURACIES =
      List.of("69.76", "73.31", "76.13", "77.37", "78.31");

  @TempDir static Path shared;
  private static GeneratedLadder ladder;

  @BeforeAll
  static void generateOnce() {
    ladder = ModelLadder.generate(shared.resolve("repo"), small());
  }

  private static LadderOptions small() {
    return LadderOptions.defaults().withScale(TEST_SCALE);
  }

  @Test
  void writesOneTritonModelFolderPerVariantAndTheCatalog() throws Exception {
    Path repo = ladder.repository();
    assertThat(ladder.models())
        .extracting(GeneratedLadder.Model::name)
        .containsExactlyElementsOf(NAMES);
    for (String name : NAMES) {
      assertThat(repo.resolve(name).resolve("config.pbtxt")).isRegularFile();
      assertThat(repo.resolve(name).resolve("1").resolve("model.onnx")).isRegularFile();
    }
    assertThat(repo.resolve("catalog.yaml")).isRegularFile().isEqualTo(ladder.catalogFile());
    try (var entries = Files.list(repo)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(
              Stream.concat(NAMES.stream(), Stream.of("catalog.yaml")).toList());
    }
    assertThat(ladder.totalModelBytes())
        .isEqualTo(ladder.models().stream().mapToLong(m -> m.modelFile().toFile().length()).sum());
  }

  @Test
  void configsCarryAccuracyBatchingAndTensors() throws Exception {
    for (int i = 0; i < NAMES.size(); i++) {
      String config = Files.readString(ladder.models().get(i).configFile());
      assertThat(config)
          .contains("name: \"" + NAMES.get(i) + "\"")
          .contains("platform: \"onnxruntime_onnx\"")
          .contains("max_batch_size: 16")
          .contains("name: \"input\"", "dims: [ 3, 32, 32 ]")
          .contains("name: \"logits\"", "dims: [ 1000 ]")
          .contains("data_type: TYPE_FP32")
          .contains("dynamic_batching {", "preferred_batch_size: [ 4, 8, 16 ]")
          .contains("max_queue_delay_microseconds: 2000")
          .contains("default_queue_policy {", "default_timeout_microseconds: 100000")
          .contains("key: \"accuracy\"", "string_value: \"" + ACCURACIES.get(i) + "\"");
    }
  }

  @Test
  void catalogRoundTripsAndListsTheLadder() {
    Catalog loaded = Catalog.load(ladder.catalogFile());
    assertThat(loaded).isEqualTo(ladder.catalog());
    Catalog.Service service = loaded.service("image-classification");
    assertThat(service.deadlineMs()).isEqualTo(100);
    assertThat(service.variants())
        .extracting(Catalog.Variant::name)
        .containsExactlyElementsOf(NAMES);
    assertThat(service.variants())
        .extracting(v -> String.format(Locale.ROOT, "%.2f", v.accuracy()))
        .containsExactlyElementsOf(ACCURACIES);
    Catalog.Variant first = service.variants().get(0);
    assertThat(first.input())
        .isEqualTo(new Catalog.TensorSpec("input", "FP32", List.of(3L, 32L, 32L)));
    assertThat(first.output()).isEqualTo("logits");
    assertThat(loaded.servers())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.name()).isEqualTo("edge-0");
              assertThat(s.url()).isEqualTo("http://127.0.0.1:8000");
              assertThat(s.models()).containsExactlyElementsOf(NAMES);
            });
  }

  @Test
  void everyModelLoadsWithDeclaredInputAndOutput() throws Exception {
    OrtEnvironment env = OrtRuntime.environment();
    for (GeneratedLadder.Model model : ladder.models()) {
      try (OrtSession session = env.createSession(model.modelFile().toString())) {
        assertThat(shape(session.getInputInfo(), "input")).containsExactly(-1, 3, 32, 32);
        assertThat(shape(session.getOutputInfo(), "logits")).containsExactly(-1, 1000);
      }
    }
  }

  @Test
  void batchedRowsEqualSingleRows() throws Exception {
    OrtEnvironment env = OrtRuntime.environment();
    float[] batch4 = randomImages(4, 7);
    for (GeneratedLadder.Model model : ladder.models()) {
      try (OrtSession session = env.createSession(model.modelFile().toString())) {
        float[][] all = run(env, session, batch4, 4);
        assertThat(all).hasNumberOfRows(4);
        for (int row = 0; row < 4; row++) {
          float[] single = Arrays.copyOfRange(batch4, row * 3072, (row + 1) * 3072);
          float[] alone = run(env, session, single, 1)[0];
          assertThat(alone).hasSize(1000);
          for (int k = 0; k < 1000; k++) {
            assertThat(alone[k]).isFinite().isCloseTo(all[row][k], within(1e-4f));
          }
        }
        assertThat(all[0]).isNotEqualTo(all[1]);
      }
    }
  }

  @Test
  void sameSeedGivesIdenticalBytesAndAnotherSeedDoesNot(@TempDir Path dir) throws Exception {
    GeneratedLadder again = ModelLadder.generate(dir.resolve("again"), small());
    GeneratedLadder other = ModelLadder.generate(dir.resolve("other"), small().withSeed(99));
    for (int i = 0; i < NAMES.size(); i++) {
      byte[] first = Files.readAllBytes(ladder.models().get(i).modelFile());
      assertThat(Files.readAllBytes(again.models().get(i).modelFile())).isEqualTo(first);
      assertThat(Files.readAllBytes(other.models().get(i).modelFile())).isNotEqualTo(first);
      assertThat(Files.readString(again.models().get(i).configFile()))
          .isEqualTo(Files.readString(ladder.models().get(i).configFile()));
    }
  }

  @Test
  void smallScaleKeepsDepthButShrinksWidth() {
    LadderTable table = LadderTable.imageClassification();
    for (int i = 0; i < NAMES.size(); i++) {
      assertThat(ladder.models().get(i).architecture())
          .contains("width=51", "depth=" + table.rungs().get(i).depth());
    }
    assertThat(ladder.totalModelBytes()).isLessThan(3_000_000);
  }

  @Test
  void zeroComputeModelsCopyTheFirstInputValues(@TempDir Path dir) throws Exception {
    GeneratedLadder zero = ModelLadder.generate(dir, small().withZeroCompute(true));
    assertThat(zero.catalog()).isEqualTo(ladder.catalog());
    OrtEnvironment env = OrtRuntime.environment();
    float[] images = randomImages(2, 3);
    try (OrtSession session = env.createSession(zero.models().get(2).modelFile().toString())) {
      float[][] out = run(env, session, images, 2);
      assertThat(out[1]).containsExactly(Arrays.copyOfRange(images, 3072, 3072 + 1000));
    }
    assertThat(zero.models()).allSatisfy(m -> assertThat(m.modelBytes()).isLessThan(1000));
  }

  @Test
  void optionsShapeTheCatalogAndConfigs(@TempDir Path dir) throws Exception {
    LadderOptions options =
        small()
            .withService("vision")
            .withDeadlineMs(250)
            .withServers(
                List.of(
                    LadderOptions.ServerSpec.parse("edge-a=http://10.0.0.1:8000"),
                    new LadderOptions.ServerSpec(
                        "edge-b", "http://10.0.0.2:8000", List.of("resnet18-like"))));
    GeneratedLadder custom = ModelLadder.generate(dir, options);
    Catalog catalog = Catalog.load(custom.catalogFile());
    assertThat(catalog.service("vision").deadlineMs()).isEqualTo(250);
    assertThat(catalog.servers())
        .extracting(Catalog.Server::name)
        .containsExactly("edge-a", "edge-b");
    assertThat(catalog.servers().get(1).models()).containsExactly("resnet18-like");
    assertThat(Files.readString(custom.models().get(0).configFile()))
        .contains("default_timeout_microseconds: 250000");
  }

  @Test
  void rejectsAServerHostingAnUnknownModelBeforeWriting(@TempDir Path dir) {
    LadderOptions options =
        small()
            .withServers(
                List.of(new LadderOptions.ServerSpec("edge-0", "http://h:1", List.of("nope"))));
    assertThatThrownBy(() -> ModelLadder.generate(dir.resolve("out"), options))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void rejectsAFileAsOutput(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> ModelLadder.generate(file, small()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a directory");
  }

  private static long[] shape(Map<String, NodeInfo> infos, String name) {
    assertThat(infos).containsOnlyKeys(name);
    return ((TensorInfo) infos.get(name).getInfo()).getShape();
  }

  private static float[][] run(OrtEnvironment env, OrtSession session, float[] images, int batch)
      throws Exception {
    try (OnnxTensor input =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(images), new long[] {batch, 3, 32, 32});
        OrtSession.Result result = session.run(Map.of("input", input))) {
      return (float[][]) result.get("logits").orElseThrow().getValue();
    }
  }

  private static float[] randomImages(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[count * 3072];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextDouble();
    }
    return values;
  }
}
