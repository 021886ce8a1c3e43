package io.surge.serving.ladder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TritonConfigWriterTest {

  @Test
  void writesTritonTextFormat() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("accuracy", "76.13");
    parameters.put("note", "say \"hi\"");
    String text =
        TritonConfigWriter.write(
            new TritonConfigWriter.Config(
                "resnet50-like",
                "onnxruntime_onnx",
                new TritonConfigWriter.Tensor("input", List.of(3L, 32L, 32L)),
                new TritonConfigWriter.Tensor("logits", List.of(1000L)),
                new LadderOptions.Batching(8, List.of(4, 8), 500, 100_000, 0),
                parameters));
    assertThat(text)
        .isEqualTo(
            """
            name: "resnet50-like"
            platform: "onnxruntime_onnx"
            max_batch_size: 8
            input [
              {
                name: "input"
                data_type: TYPE_FP32
                dims: [ 3, 32, 32 ]
              }
            ]
            output [
              {
                name: "logits"
                data_type: TYPE_FP32
                dims: [ 1000 ]
              }
            ]
            instance_group [
              {
                count: 1
                kind: KIND_CPU
              }
            ]
            dynamic_batching {
              preferred_batch_size: [ 4, 8 ]
              max_queue_delay_microseconds: 500
              default_queue_policy {
                timeout_action: REJECT
                default_timeout_microseconds: 100000
                allow_timeout_override: true
                max_queue_size: 0
              }
            }
            parameters {
              key: "accuracy"
              value: {
                string_value: "76.13"
              }
            }
            parameters {
              key: "note"
              value: {
                string_value: "say \\"hi\\""
              }
            }
            """);
  }

  @Test
  void omitsAnEmptyPreferredBatchSizeList() {
    String text =
        TritonConfigWriter.write(
            new TritonConfigWriter.Config(
                "m",
                "onnxruntime_onnx",
                new TritonConfigWriter.Tensor("input", List.of(4L)),
                new TritonConfigWriter.Tensor("out", List.of(2L)),
                new LadderOptions.Batching(4, List.of(), 0, 0, 0),
                Map.of()));
    assertThat(text).doesNotContain("preferred_batch_size").doesNotContain("parameters");
  }

  @Test
  void formatsAccuracyWithTwoDecimalsInAnyLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertThat(TritonConfigWriter.accuracy(69.76)).isEqualTo("69.76");
      assertThat(TritonConfigWriter.accuracy(78.3)).isEqualTo("78.30");
    } finally {
      Locale.setDefault(before);
    }
  }
}
