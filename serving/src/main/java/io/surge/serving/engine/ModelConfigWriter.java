package io.surge.serving.engine;

import io.surge.serving.engine.ModelConfig.DynamicBatching;
import io.surge.serving.engine.ModelConfig.QueuePolicy;
import io.surge.serving.engine.ModelConfig.TensorConfig;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes a {@link ModelConfig} in the protobuf text format of Triton's {@code config.pbtxt}. */
final class ModelConfigWriter {

  private final StringBuilder out = new StringBuilder();
  private int depth;

  private ModelConfigWriter() {}

  static String write(ModelConfig config) {
    ModelConfigWriter writer = new ModelConfigWriter();
    writer.config(config);
    return writer.out.toString();
  }

  private void config(ModelConfig config) {
    scalar("name", quote(config.name()));
    if (!config.platform().isEmpty()) {
      scalar("platform", quote(config.platform()));
    }
    if (!config.backend().isEmpty()) {
      scalar("backend", quote(config.backend()));
    }
    scalar("max_batch_size", String.valueOf(config.maxBatchSize()));
    tensors("input", config.inputs());
    tensors("output", config.outputs());
    if (config.dynamicBatching() != null) {
      dynamicBatching(config.dynamicBatching());
    }
    for (Map.Entry<String, String> parameter : config.parameters().entrySet()) {
      open("parameters");
      scalar("key", quote(parameter.getKey()));
      open("value");
      scalar("string_value", quote(parameter.getValue()));
      close();
      close();
    }
  }

  private void tensors(String field, List<TensorConfig> tensors) {
    if (tensors.isEmpty()) {
      return;
    }
    line(field + " [");
    depth++;
    for (int i = 0; i < tensors.size(); i++) {
      TensorConfig tensor = tensors.get(i);
      line("{");
      depth++;
      scalar("name", quote(tensor.name()));
      scalar("data_type", TensorConfig.tritonType(tensor.dataType()));
      scalar("dims", list(tensor.dims()));
      if (tensor.hasReshape()) {
        line("reshape { shape: " + list(tensor.reshape()) + " }");
      }
      depth--;
      line(i + 1 < tensors.size() ? "}," : "}");
    }
    depth--;
    line("]");
  }

  private void dynamicBatching(DynamicBatching batching) {
    open("dynamic_batching");
    if (!batching.preferredBatchSizes().isEmpty()) {
      String sizes =
          batching.preferredBatchSizes().stream()
              .map(String::valueOf)
              .collect(Collectors.joining(", "));
      scalar("preferred_batch_size", "[ " + sizes + " ]");
    }
    scalar("max_queue_delay_microseconds", String.valueOf(batching.maxQueueDelayMicros()));
    QueuePolicy policy = batching.defaultQueuePolicy();
    if (!policy.equals(QueuePolicy.DEFAULT)) {
      open("default_queue_policy");
      scalar("timeout_action", policy.timeoutAction().name());
      scalar("default_timeout_microseconds", String.valueOf(policy.defaultTimeoutMicros()));
      scalar("allow_timeout_override", String.valueOf(policy.allowTimeoutOverride()));
      scalar("max_queue_size", String.valueOf(policy.maxQueueSize()));
      close();
    }
    close();
  }

  private static String list(long[] values) {
    StringBuilder s = new StringBuilder("[ ");
    for (int i = 0; i < values.length; i++) {
      s.append(i == 0 ? "" : ", ").append(values[i]);
    }
    return s.append(" ]").toString();
  }

  static String quote(String value) {
    StringBuilder s = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        case '\n' -> s.append("\\n");
        case '\t' -> s.append("\\t");
        case '\r' -> s.append("\\r");
        default -> s.append(c);
      }
    }
    return s.append('"').toString();
  }

  private void open(String field) {
    line(field + " {");
    depth++;
  }

  private void close() {
    depth--;
    line("}");
  }

  private void scalar(String field, String value) {
    line(field + ": " + value);
  }

  private void line(String text) {
    out.append("  ".repeat(depth)).append(text).append('\n');
  }
}
