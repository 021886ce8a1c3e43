package io.surge.serving.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surge.serving.engine.ModelConfig.TensorConfig;
import io.surge.serving.protocol.Datatype;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRepositoryTest {

  @TempDir Path repo;

  @Test
  void scanPicksTheHighestNumericVersionOfEachModel() throws IOException {
    byte[] model = TinyOnnxModels.gemmRelu(4, 3, 1, 0);
    ModelRepository.write(repo, TinyOnnxModels.gemmReluConfig("b-model", 2, 4, 3), 1, model);
    ModelRepository.write(repo, TinyOnnxModels.gemmReluConfig("a-model", 2, 4, 3), 2, model);
    ModelRepository.write(repo, TinyOnnxModels.gemmReluConfig("a-model", 2, 4, 3), 10, model);
    Files.createDirectories(repo.resolve("a-model/11")); // no model.onnx: not a version
    Files.createDirectories(repo.resolve("a-model/latest"));

    List<ModelRepository.Entry> entries = ModelRepository.scan(repo);

    assertThat(entries)
        .extracting(ModelRepository.Entry::name)
        .containsExactly("a-model", "b-model");
    assertThat(entries.get(0).version()).isEqualTo("10");
    assertThat(entries.get(0).modelFile()).isEqualTo(repo.resolve("a-model/10/model.onnx"));
    assertThat(entries.get(1).version()).isEqualTo("1");
    assertThat(entries.get(1).config())
        .isEqualTo(TinyOnnxModels.gemmReluConfig("b-model", 2, 4, 3));
  }

  @Test
  void missingConfigIsNamed() throws IOException {
    Files.createDirectories(repo.resolve("m/1"));
    Files.write(repo.resolve("m/1/model.onnx"), TinyOnnxModels.gemmRelu(4, 3, 1, 0));

    assertThatThrownBy(() -> ModelRepository.scan(repo))
        .isInstanceOf(ModelRepositoryException.class)
        .hasMessageContaining("model 'm': missing")
        .hasMessageContaining("config.pbtxt");
  }

  @Test
  void missingVersionIsNamed() throws IOException {
    Files.createDirectories(repo.resolve("m"));
    TinyOnnxModels.gemmReluConfig("m", 2, 4, 3).write(repo.resolve("m/config.pbtxt"));

    assertThatThrownBy(() -> ModelRepository.scan(repo))
        .isInstanceOf(ModelRepositoryException.class)
        .hasMessageContaining("model 'm': no numeric version directory with model.onnx");
  }

  @Test
  void configNameMustMatchTheDirectory() {
    ModelRepository.write(repo, TinyOnnxModels.gemmReluConfig("m", 2, 4, 3), 1, new byte[] {1});
    try {
      Files.move(repo.resolve("m"), repo.resolve("other"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }

    assertThatThrownBy(() -> ModelRepository.scan(repo))
        .isInstanceOf(ModelRepositoryException.class)
        .hasMessageContaining("names the model 'm'; it must match the directory name");
  }

  @Test
  void badConfigCarriesItsLine() throws IOException {
    Files.createDirectories(repo.resolve("m/1"));
    Files.write(repo.resolve("m/1/model.onnx"), new byte[] {1});
    Files.writeString(repo.resolve("m/config.pbtxt"), "name: \"m\"\nmax_batch_size: x\n");

    assertThatThrownBy(() -> ModelRepository.scan(repo))
        .isInstanceOf(ModelRepositoryException.class)
        .hasMessageContaining("config.pbtxt:2: 'max_batch_size' must be an integer");
  }

  @Test
  void onlyOnnxRuntimeModelsAreServed() {
    ModelConfig tensorrt =
        new ModelConfig(
            "m",
            "tensorrt_plan",
            "",
            0,
            List.of(new TensorConfig("x", Datatype.FP32, new long[] {1})),
            List.of(new TensorConfig("y", Datatype.FP32, new long[] {1})),
            null,
            java.util.Map.of());
    ModelRepository.write(repo, tensorrt, 1, new byte[] {1});

    assertThatThrownBy(() -> ModelRepository.scan(repo))
        .isInstanceOf(ModelRepositoryException.class)
        .hasMessageContaining("only platform \"onnxruntime_onnx\"");
  }

  @Test
  void preferredBatchSizesMustFitTheMaxBatch() {
    ModelConfig config =
        TinyOnnxModels.gemmReluConfig("m", 4, 4, 3)
            .withDynamicBatching(
                new ModelConfig.DynamicBatching(0, List.of(2, 8), ModelConfig.QueuePolicy.DEFAULT));
    ModelRepository.write(repo, config, 1, new byte[] {1});

    assertThatThrownBy(() -> ModelRepository.scan(repo))
        .isInstanceOf(ModelRepositoryException.class)
        .hasMessageContaining("preferred_batch_size 8 exceeds max_batch_size 4");
  }

  @Test
  void emptyOrMissingRepositoryIsRefused() {
    assertThatThrownBy(() -> ModelRepository.scan(repo))
        .isInstanceOf(ModelRepositoryException.class)
        .hasMessageContaining("holds no models");
    assertThatThrownBy(() -> ModelRepository.scan(repo.resolve("nope")))
        .isInstanceOf(ModelRepositoryException.class)
        .hasMessageContaining("is not a directory");
  }
}
