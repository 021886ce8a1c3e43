package io.surge.serving.engine;

import static io.surge.serving.engine.TinyOnnxModels.INPUT;
import static io.surge.serving.engine.TinyOnnxModels.LOGITS;
import static io.surge.serving.engine.TinyOnnxModels.OUTPUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.surge.serving.client.KServeClient;
import io.surge.serving.engine.ModelConfig.TensorConfig;
import io.surge.serving.engine.ModelExecutor.ExecutionResult;
import io.surge.serving.protocol.Datatype;
import io.surge.serving.protocol.InferRequest;
import io.surge.serving.protocol.InferResponse;
import io.surge.serving.protocol.InferTensor;
import io.surge.serving.protocol.ModelMetadata;
import io.surge.serving.server.InferenceHttpServer;
import io.surge.serving.server.ServerOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triton's {@code reshape}: the API sees {@code dims}, the ONNX graph the reshape; configs that
 * Triton refuses are refused with Triton's messages.
 */
class ReshapeTest {

  private static final int FEATURES = 4;
  private static final int CLASSES = 3;

  @TempDir Path repo;
  private DeviceExecutor executor;

  @AfterEach
  void close() {
    if (executor != null) {
      executor.close();
    }
  }

  /** The Gemm graph takes [batch, 4] and gives [batch, 3]; the API takes [batch, 2, 2]. */
  private static ModelConfig reshaped(String name) {
    return ModelConfig.onnx(
        name,
        8,
        List.of(new TensorConfig(INPUT, Datatype.FP32, new long[] {2, 2}, new long[] {FEATURES})),
        List.of(
            new TensorConfig(LOGITS, Datatype.FP32, new long[] {CLASSES}),
            new TensorConfig(
                OUTPUT, Datatype.FP32, new long[] {CLASSES, 1}, new long[] {CLASSES})));
  }

  @Test
  void inputsAndOutputsAreReshapedAsTritonDoes() throws Exception {
    ModelRepository.write(
        repo, reshaped("reshaped"), 1, TinyOnnxModels.gemmRelu(FEATURES, CLASSES, 11, 0));
    ModelRepository.write(
        repo,
        TinyOnnxModels.gemmReluConfig("plain", 8, FEATURES, CLASSES),
        1,
        TinyOnnxModels.gemmRelu(FEATURES, CLASSES, 11, 0));
    executor = DeviceExecutor.open(repo);
    float[] rows = TinyOnnxModels.randomRows(5, 2, FEATURES);

    ExecutionResult reshaped =
        executor
            .infer(
                "reshaped",
                List.of(InferTensor.fp32(INPUT, new long[] {2, 2, 2}, rows)),
                List.of(),
                0,
                0)
            .get(30, TimeUnit.SECONDS);
    ExecutionResult plain =
        executor
            .infer(
                "plain",
                List.of(InferTensor.fp32(INPUT, new long[] {2, FEATURES}, rows)),
                List.of(),
                0,
                0)
            .get(30, TimeUnit.SECONDS);

    assertThat(reshaped.outputs().get(0).shape()).containsExactly(2, CLASSES);
    assertThat(reshaped.outputs().get(1).shape()).containsExactly(2, CLASSES, 1);
    for (int i = 0; i < 2; i++) {
      assertThat(reshaped.outputs().get(i).asFloats())
          .containsExactly(plain.outputs().get(i).asFloats(), within(1e-6f));
    }
  }

  @Test
  void theApiShapeIsWhatMetadataAndRequestsUseOverHttp() throws Exception {
    ModelRepository.write(
        repo, reshaped("reshaped"), 1, TinyOnnxModels.gemmRelu(FEATURES, CLASSES, 11, 0));
    executor = DeviceExecutor.open(repo);
    try (InferenceHttpServer server =
        InferenceHttpServer.start(executor, ServerOptions.defaults().withPort(0))) {
      KServeClient client = KServeClient.builder(server.baseUri()).build();

      ModelMetadata metadata = client.modelMetadata("reshaped", null).get(30, TimeUnit.SECONDS);
      InferResponse answer =
          client
              .infer(
                  "reshaped",
                  InferRequest.of(
                      List.of(
                          InferTensor.fp32(
                              INPUT,
                              new long[] {1, 2, 2},
                              TinyOnnxModels.randomRows(6, 1, FEATURES)))))
              .get(30, TimeUnit.SECONDS);

      assertThat(metadata.inputs().get(0).shape()).containsExactly(-1, 2, 2);
      assertThat(metadata.outputs().get(1).shape()).containsExactly(-1, CLASSES, 1);
      assertThat(answer.output(OUTPUT).orElseThrow().shape()).containsExactly(1, CLASSES, 1);
      // the graph's shape is not the API's: a request in it is refused
      assertThat(
              client.infer(
                  "reshaped",
                  InferRequest.of(
                      List.of(
                          InferTensor.fp32(
                              INPUT,
                              new long[] {1, FEATURES},
                              TinyOnnxModels.randomRows(6, 1, FEATURES))))))
          .failsWithin(30, TimeUnit.SECONDS)
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withMessageContaining("expects [-1, 2, 2]");
    }
  }

  @Test
  void emptyReshapeFeedsABatchOnlyTensor() {
    TensorConfig in = new TensorConfig("in", Datatype.FP32, new long[] {1}, new long[] {});

    ModelConfig config =
        ModelConfig.onnx(
            "m", 4, List.of(in), List.of(new TensorConfig("o", Datatype.FP32, new long[] {1})));

    assertThat(config.inputs().get(0).toModelShape(new long[] {1})).isEmpty();
    assertThat(config.inputs().get(0).toApiShape(new long[] {})).containsExactly(1);
  }

  @Test
  void variableDimensionsCarryOverInOrder() {
    TensorConfig t =
        new TensorConfig("in", Datatype.FP32, new long[] {2, -1, 3}, new long[] {2, -1, 3, 1});

    assertThat(t.toModelShape(new long[] {2, 7, 3})).containsExactly(2, 7, 3, 1);
    assertThat(t.toApiShape(new long[] {2, 5, 3, 1})).containsExactly(2, 5, 3);
  }

  @Test
  void parsesAndWritesReshape() {
    String text =
        "name: \"m\"\nmax_batch_size: 4\n"
            + "input [ { name: \"in\" data_type: TYPE_FP32 dims: [ 1 ] reshape: { shape: [ ] } } ]\n"
            + "output [ { name: \"out\" data_type: TYPE_FP32 dims: [ 15 ]"
            + " reshape { shape: [ 3, 5 ] } } ]\n";

    ModelConfig config = ModelConfig.parse("config.pbtxt", text);

    assertThat(config.inputs().get(0).reshape()).isEmpty();
    assertThat(config.outputs().get(0).reshape()).containsExactly(3, 5);
    assertThat(ModelConfig.parse("again", config.toPbtxt())).isEqualTo(config);
    assertThat(TinyOnnxModels.gemmReluConfig("p", 4, 2, 2).inputs().get(0).hasReshape()).isFalse();
  }

  @Test
  void refusesWhatTritonRefusesWithItsMessages() {
    assertRefused(
        4,
        "input",
        new long[] {1, 3, 2},
        new long[] {5},
        "model input 'in' has different size for dims and reshape");
    assertRefused(
        4,
        "output",
        new long[] {15},
        new long[] {3, 2, 5},
        "model output 'in' has different size for dims and reshape");
    assertRefused(
        0,
        "input",
        new long[] {1},
        new long[] {},
        "model input 'in' cannot have empty reshape for non-batching model as scalar tensors are"
            + " not supported");
    assertRefused(
        4,
        "input",
        new long[] {2, -1},
        new long[] {2, 2},
        "model input 'in' has different size for dims and reshape");
    assertRefused(
        4,
        "input",
        new long[] {2, -1},
        new long[] {2, -1, 2},
        "model input 'in' has different size for dims and reshape");
    assertRefused(
        4,
        "input",
        new long[] {2, -1},
        new long[] {2, -1, -1},
        "model input 'in' has different number of variable-size dimensions for dims and reshape");
    assertRefused(
        4,
        "input",
        new long[] {2},
        new long[] {0, 2},
        "model input 'in' reshape dimensions must be integer >= 1, or -1 to indicate a"
            + " variable-size dimension");
  }

  private static void assertRefused(
      int maxBatch, String kind, long[] dims, long[] reshape, String message) {
    TensorConfig odd = new TensorConfig("in", Datatype.FP32, dims, reshape);
    TensorConfig plain = new TensorConfig("other", Datatype.FP32, new long[] {1});
    List<TensorConfig> inputs = kind.equals("input") ? List.of(odd) : List.of(plain);
    List<TensorConfig> outputs = kind.equals("input") ? List.of(plain) : List.of(odd);

    assertThatThrownBy(() -> ModelConfig.onnx("m", maxBatch, inputs, outputs))
        .isInstanceOf(ModelConfigException.class)
        .hasMessage(message);
  }
}
