package io.surge.serving.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surge.serving.engine.ModelConfig.DynamicBatching;
import io.surge.serving.engine.ModelConfig.QueuePolicy;
import io.surge.serving.engine.ModelConfig.TensorConfig;
import io.surge.serving.engine.ModelConfig.TimeoutAction;
import io.surge.serving.protocol.Datatype;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {

  private static final String TRITON_STYLE =
      """
      # A config as Triton's docs write it, with fields Surge does not use.
      name: "resnet50"
      platform: "onnxruntime_onnx"
      max_batch_size: 8
      input [
        {
          name: "input"
          data_type: TYPE_FP32
          format: FORMAT_NCHW
          dims: [ 3, 224, 224 ]
        }
      ]
      output [
        {
          name: "probabilities"
          data_type: TYPE_FP32
          dims: [ 1000 ]
          label_filename: "labels.txt"
        }
      ]
      instance_group [ { count: 2, kind: KIND_GPU, gpus: [ 0, 1 ] } ]
      dynamic_batching {
        preferred_batch_size: [ 4, 8 ]
        max_queue_delay_microseconds: 100
        default_queue_policy {
          timeout_action: DELAY
          default_timeout_microseconds: 5000
          allow_timeout_override: true
          max_queue_size: 32
        }
      }
      optimization { execution_accelerators { gpu_execution_accelerator : [ { name : "tensorrt" } ] } }
      parameters { key: "accuracy" value { string_value: "76.13" } }
      parameters: {
        key: "family"
        value: { string_value: "resnet \\"v1.5\\"" }
      }
      """;

  @Test
  void readsTritonStyleConfigIgnoringUnknownFields() {
    ModelConfig config = ModelConfig.parse("resnet50/config.pbtxt", TRITON_STYLE);

    assertThat(config.name()).isEqualTo("resnet50");
    assertThat(config.platform()).isEqualTo("onnxruntime_onnx");
    assertThat(config.maxBatchSize()).isEqualTo(8);
    assertThat(config.inputs())
        .containsExactly(new TensorConfig("input", Datatype.FP32, new long[] {3, 224, 224}));
    assertThat(config.outputs())
        .containsExactly(new TensorConfig("probabilities", Datatype.FP32, new long[] {1000}));
    assertThat(config.dynamicBatching())
        .isEqualTo(
            new DynamicBatching(
                100, List.of(4, 8), new QueuePolicy(TimeoutAction.DELAY, 5000, true, 32)));
    assertThat(config.parameters())
        .containsExactly(Map.entry("accuracy", "76.13"), Map.entry("family", "resnet \"v1.5\""));
  }

  @Test
  void writtenTextReadsBackEqual() {
    ModelConfig config = ModelConfig.parse("in", TRITON_STYLE);

    String text = config.toPbtxt();

    assertThat(ModelConfig.parse("out", text)).isEqualTo(config);
  }

  @Test
  void writesTheExactTritonLayout() {
    ModelConfig config =
        TinyOnnxModels.gemmReluConfig("mlp-s", 4, 8, 3)
            .withDynamicBatching(
                new DynamicBatching(
                    200, List.of(2, 4), new QueuePolicy(TimeoutAction.REJECT, 1000, true, 16)))
            .withParameter("accuracy", "61.5");

    assertThat(config.toPbtxt())
        .isEqualTo(
            """
            name: "mlp-s"
            platform: "onnxruntime_onnx"
            max_batch_size: 4
            input [
              {
                name: "input"
                data_type: TYPE_FP32
                dims: [ 8 ]
              }
            ]
            output [
              {
                name: "logits"
                data_type: TYPE_FP32
                dims: [ 3 ]
              },
              {
                name: "output"
                data_type: TYPE_FP32
                dims: [ 3 ]
              }
            ]
            dynamic_batching {
              preferred_batch_size: [ 2, 4 ]
              max_queue_delay_microseconds: 200
              default_queue_policy {
                timeout_action: REJECT
                default_timeout_microseconds: 1000
                allow_timeout_override: true
                max_queue_size: 16
              }
            }
            parameters {
              key: "accuracy"
              value {
                string_value: "61.5"
              }
            }
            """);
  }

  @Test
  void defaultsApplyWhenFieldsAreAbsent() {
    ModelConfig config =
        ModelConfig.parse(
            "c",
            """
            name: "m"
            backend: "onnxruntime"
            input { name: "x" data_type: TYPE_INT64 dims: 4 }
            output { name: "y" data_type: TYPE_STRING dims: [ -1 ] }
            dynamic_batching { }
            """);

    assertThat(config.maxBatchSize()).isZero();
    assertThat(config.platform()).isEmpty();
    assertThat(config.backend()).isEqualTo("onnxruntime");
    assertThat(config.inputs().get(0).dims()).containsExactly(4);
    assertThat(config.outputs().get(0).dataType()).isEqualTo(Datatype.BYTES);
    assertThat(config.dynamicBatching()).isEqualTo(DynamicBatching.withDelay(0));
    assertThat(config.dynamicBatching().defaultQueuePolicy()).isEqualTo(QueuePolicy.DEFAULT);
  }

  @Test
  void writeAndReadAFile(@TempDir Path dir) {
    ModelConfig config = TinyOnnxModels.gemmReluConfig("m", 2, 4, 3).withParameter("accuracy", "1");
    Path file = dir.resolve("config.pbtxt");

    config.write(file);

    assertThat(ModelConfig.read(file)).isEqualTo(config);
  }

  @Test
  void syntaxErrorsNameTheLine() {
    assertError(
        "name: \"m\"\nmax_batch_size 8\n",
        "c.pbtxt:2: expected ':' or '{' after field 'max_batch_size'");
    assertError(
        "name: \"m\"\ninput [ { name: \"x\" }\n",
        "c.pbtxt:2: missing ']' for the list of 'input' opened at line 2");
    assertError(
        "name: \"m\"\ndynamic_batching {\n  max_queue_delay_microseconds: 1\n",
        "c.pbtxt:3: missing '}' for the message opened at line 2");
    assertError("name: \"unterminated\n", "c.pbtxt:1: unterminated string");
    assertError(
        "name: \"m\"\ninput [ { name: \"x\" } max_batch_size: 1 ]\n",
        "c.pbtxt:2: expected ',' or ']' in the list of 'input', found 'max_batch_size'");
    assertError("name: \"m\"\n\n  = 3\n", "c.pbtxt:3: unexpected character '='");
  }

  @Test
  void badValuesNameTheLine() {
    assertError(
        "name: \"m\"\nmax_batch_size: eight\n",
        "c.pbtxt:2: 'max_batch_size' must be an integer, got 'eight'");
    assertError(
        "name: \"m\"\nmax_batch_size: -1\n", "c.pbtxt:2: 'max_batch_size' out of range: -1");
    assertError("name: m\n", "c.pbtxt:1: 'name' must be a quoted string");
    assertError(
        "name: \"m\"\ninput [\n  { name: \"x\" data_type: TYPE_FLOAT dims: [1] }\n]\n",
        "c.pbtxt:3: unsupported data_type TYPE_FLOAT");
    assertError(
        "name: \"m\"\ninput { name: \"x\" dims: [1] }\n",
        "c.pbtxt:2: input 'x' without 'data_type'");
    assertError(
        "name: \"m\"\ninput { name: \"x\" data_type: TYPE_FP32 dims: [0] }\n",
        "c.pbtxt:2: tensor 'x' has invalid dims [0]");
    assertError(
        "name: \"m\"\ndynamic_batching { default_queue_policy { timeout_action: DROP } }\n",
        "c.pbtxt:2: timeout_action must be REJECT or DELAY, got 'DROP'");
    assertError("name: \"m\"\nname: \"n\"\n", "c.pbtxt:2: 'name' given more than once");
    assertError("max_batch_size: 1\n", "c.pbtxt:1: missing 'name'");
    assertError("name: \"../up\"\n", "c.pbtxt: model name '../up' is not a plain directory name");
    assertError(
        "name: \"m\"\nparameters { key: \"accuracy\" }\n",
        "c.pbtxt:2: parameters entry needs 'key' and 'value { string_value: ... }'");
  }

  @Test
  void requestTimeoutMayOnlyShortenANonZeroDefault() {
    QueuePolicy overridable = new QueuePolicy(TimeoutAction.REJECT, 5000, true, 0);
    QueuePolicy fixed = new QueuePolicy(TimeoutAction.REJECT, 5000, false, 0);
    QueuePolicy none = new QueuePolicy(TimeoutAction.REJECT, 0, true, 0);

    assertThat(overridable.effectiveTimeoutMicros(1000)).isEqualTo(1000);
    assertThat(overridable.effectiveTimeoutMicros(9000)).isEqualTo(5000);
    assertThat(overridable.effectiveTimeoutMicros(0)).isEqualTo(5000);
    assertThat(fixed.effectiveTimeoutMicros(1000)).isEqualTo(5000);
    assertThat(none.effectiveTimeoutMicros(1000)).isZero();
  }

  private static void assertError(String text, String message) {
    assertThatThrownBy(() -> ModelConfig.parse("c.pbtxt", text))
        .isInstanceOf(ModelConfigException.class)
        .hasMessageStartingWith(message);
  }
}
