package io.surge.train.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * {@code results.json} of {@code surge evaluate}: under {@code policies} one entry per token in the
 * order given, each with {@code effective_accuracy: {mean, ci95}} (fractions 0-1, {@code ci95} the
 * half-width of the 95 % interval), {@code slo_attainment}, {@code shed_rate}, {@code p99_ms},
 * {@code variant_mix}, {@code paired_vs_best_baseline: {mean, ci95}} and {@code
 * per_seed_effective_accuracy}; a model file's argmax mode is the entry, its sampled mode nested as
 * {@code sampled}. Top level: {@code workload}, {@code disturb}, {@code seeds}, {@code first_seed},
 * {@code seconds}, {@code best_baseline}, {@code load_average}, {@code elapsed_seconds}. NaN (e.g.
 * a CI over one seed) is written as null.
 */
public final class EvaluationJson {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private EvaluationJson() {}

  public static String write(EvaluationResult result, double loadAverage) {
    ObjectNode root = JSON.createObjectNode();
    EvaluationPlan plan = result.plan();
    root.put("workload", plan.workload().toSpec());
    if (plan.disturbances().isEmpty()) {
      root.putNull("disturb");
    } else {
      root.put("disturb", plan.disturbances().toSpec());
    }
    root.put("seeds", plan.seeds());
    root.put("first_seed", plan.firstSeed());
    root.put("seconds", plan.seconds());
    root.put("best_baseline", result.bestBaseline());
    number(root, "load_average", loadAverage);
    number(root, "elapsed_seconds", result.elapsedSeconds());
    ObjectNode policies = root.putObject("policies");
    for (PolicyResult policy : result.policies()) {
      ObjectNode entry = policies.putObject(policy.token());
      entry.put("kind", policy.kind());
      mode(entry, policy.headline());
      if (policy.sampled() != null) {
        mode(entry.putObject("sampled"), policy.sampled());
      }
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write results.json", e);
    }
  }

  private static void mode(ObjectNode entry, ModeResult mode) {
    interval(entry, "effective_accuracy", mode.effectiveAccuracy());
    number(entry, "slo_attainment", mode.sloAttainment());
    number(entry, "shed_rate", mode.shedRate());
    number(entry, "p99_ms", mode.p99Ms());
    ObjectNode mix = entry.putObject("variant_mix");
    for (Map.Entry<String, Double> share : mode.variantMix().entrySet()) {
      number(mix, share.getKey(), share.getValue());
    }
    if (mode.pairedVsBestBaseline() == null) {
      entry.putNull("paired_vs_best_baseline");
    } else {
      interval(entry, "paired_vs_best_baseline", mode.pairedVsBestBaseline());
    }
    var perSeed = entry.putArray("per_seed_effective_accuracy");
    for (double v : mode.perSeedAccuracy()) {
      perSeed.add(v);
    }
  }

  private static void interval(ObjectNode parent, String name, MeanInterval interval) {
    ObjectNode node = parent.putObject(name);
    number(node, "mean", interval.mean());
    number(node, "ci95", interval.ci95());
  }

  private static void number(ObjectNode node, String name, double value) {
    if (Double.isFinite(value)) {
      node.put(name, value);
    } else {
      node.putNull(name);
    }
  }
}
