package io.surge.serving.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.surge.serving.engine.ModelStatistics.BatchStat;
import io.surge.serving.engine.ModelStatistics.Stat;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ModelStatistics} in the JSON shape of Triton's statistics extension: {@code
 * {"model_stats":[{"name","version","last_inference","inference_count","execution_count",
 * "inference_stats":{...},"batch_stats":[...]}]}}.
 */
public final class ModelStatisticsJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ModelStatisticsJson() {}

  /** The whole statistics answer for these models. */
  public static ObjectNode toJson(List<ModelStatistics> models) {
    ObjectNode root = NODES.objectNode();
    ArrayNode array = root.putArray("model_stats");
    for (ModelStatistics m : models) {
      array.add(toJson(m));
    }
    return root;
  }

  private static ObjectNode toJson(ModelStatistics m) {
    ObjectNode node = NODES.objectNode();
    node.put("name", m.name());
    node.put("version", m.version());
    node.put("last_inference", m.lastInferenceMillis());
    node.put("inference_count", m.inferenceCount());
    node.put("execution_count", m.executionCount());
    ObjectNode inference = node.putObject("inference_stats");
    inference.set("success", stat(m.success()));
    inference.set("fail", stat(m.fail()));
    inference.set("queue", stat(m.queue()));
    inference.set("compute_input", stat(m.computeInput()));
    inference.set("compute_infer", stat(m.computeInfer()));
    inference.set("compute_output", stat(m.computeOutput()));
    ArrayNode batches = node.putArray("batch_stats");
    for (BatchStat b : m.batchStats()) {
      ObjectNode batch = batches.addObject();
      batch.put("batch_size", b.batchSize());
      batch.set("compute_input", stat(b.computeInput()));
      batch.set("compute_infer", stat(b.computeInfer()));
      batch.set("compute_output", stat(b.computeOutput()));
    }
    return node;
  }

  private static ObjectNode stat(Stat s) {
    ObjectNode node = NODES.objectNode();
    node.put("count", s.count());
    node.put("ns", s.ns());
    return node;
  }

  /**
   * Parses a statistics answer; missing stats read as zero (Triton omits none, other servers may).
   *
   * @throws IllegalArgumentException when {@code model_stats} is not an array
   */
  public static List<ModelStatistics> fromJson(JsonNode root) {
    JsonNode array = root == null ? null : root.get("model_stats");
    if (array == null || !array.isArray()) {
      throw new IllegalArgumentException("statistics answer has no 'model_stats' array");
    }
    List<ModelStatistics> models = new ArrayList<>(array.size());
    for (JsonNode m : array) {
      models.add(model(m));
    }
    return models;
  }

  private static ModelStatistics model(JsonNode m) {
    JsonNode inference = m.path("inference_stats");
    List<BatchStat> batches = new ArrayList<>();
    for (JsonNode b : m.path("batch_stats")) {
      batches.add(
          new BatchStat(
              b.path("batch_size").asInt(),
              stat(b.path("compute_input")),
              stat(b.path("compute_infer")),
              stat(b.path("compute_output"))));
    }
    return new ModelStatistics(
        m.path("name").asText(),
        m.path("version").asText(),
        m.path("last_inference").asLong(),
        m.path("inference_count").asLong(),
        m.path("execution_count").asLong(),
        stat(inference.path("success")),
        stat(inference.path("fail")),
        stat(inference.path("queue")),
        stat(inference.path("compute_input")),
        stat(inference.path("compute_infer")),
        stat(inference.path("compute_output")),
        batches);
  }

  private static Stat stat(JsonNode node) {
    return new Stat(node.path("count").asLong(), node.path("ns").asLong());
  }
}
