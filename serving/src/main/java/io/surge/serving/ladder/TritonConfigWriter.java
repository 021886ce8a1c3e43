package io.surge.serving.ladder;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a model's {@code config.pbtxt} in Triton's protobuf text format (ModelConfig). Kept
 * separate and small on purpose: the project's shared config reader/writer can replace it.
 */
public final class TritonConfigWriter {

  /** A tensor of the config: name and per-request dims (no batch dimension). */
  public record Tensor(String name, List<Long> dims) {}

  /**
   * Everything the ladder's configs hold.
   *
   * @param parameters string parameters, e.g. {@code accuracy}; written in the given order
   */
  public record Config(
      String name,
      String platform,
      Tensor input,
      Tensor output,
      LadderOptions.Batching batching,
      Map<String, String> parameters) {}

  private TritonConfigWriter() {}

  public static String write(Config config) {
    LadderOptions.Batching b = config.batching();
    StringBuilder out = new StringBuilder();
    out.append("name: ").append(quote(config.name())).append('\n');
    out.append("platform: ").append(quote(config.platform())).append('\n');
    out.append("max_batch_size: ").append(b.maxBatchSize()).append('\n');
    tensor(out, "input", config.input());
    tensor(out, "output", config.output());
    out.append("instance_group [\n  {\n    count: 1\n    kind: KIND_CPU\n  }\n]\n");
    out.append("dynamic_batching {\n");
    if (!b.preferredBatchSizes().isEmpty()) {
      out.append("  preferred_batch_size: ").append(list(b.preferredBatchSizes())).append('\n');
    }
    out.append("  max_queue_delay_microseconds: ").append(b.maxQueueDelayMicros()).append('\n');
    out.append("  default_queue_policy {\n");
    out.append("    timeout_action: REJECT\n");
    out.append("    default_timeout_microseconds: ").append(b.queueTimeoutMicros()).append('\n');
    out.append("    allow_timeout_override: true\n");
    out.append("    max_queue_size: ").append(b.maxQueueSize()).append('\n');
    out.append("  }\n}\n");
    config
        .parameters()
        .forEach(
            (key, value) ->
                out.append("parameters {\n  key: ")
                    .append(quote(key))
                    .append("\n  value: {\n    string_value: ")
                    .append(quote(value))
                    .append("\n  }\n}\n"));
    return out.toString();
  }

  /** Formats an accuracy the way the configs and reports show it: two decimals. */
  public static String accuracy(double percent) {
    return String.format(Locale.ROOT, "%.2f", percent);
  }

  private static void tensor(StringBuilder out, String field, Tensor tensor) {
    out.append(field).append(" [\n  {\n");
    out.append("    name: ").append(quote(tensor.name())).append('\n');
    out.append("    data_type: TYPE_FP32\n");
    out.append("    dims: ").append(list(tensor.dims())).append('\n');
    out.append("  }\n]\n");
  }

  private static String list(List<? extends Number> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(", ", "[ ", " ]"));
  }

  /** A protobuf text-format string literal. */
  static String quote(String s) {
    StringBuilder q = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        default -> q.append(c);
      }
    }
    return q.append('"').toString();
  }
}
