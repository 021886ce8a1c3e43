package io.surge.train.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * {@code results.json} of {@code surge evaluate}: under {@code policies} one entry per token in the
 * order given, each with {@code effective_accuracy: {mean, ci95}} (fractions 0-1, {@code ci95} the
 * half-width of the 95 % interval), {@code slo_attainment: {mean, ci95}}, {@code shed_rate}, {@code
 * p99_ms}, {@code variant_mix}, {@code paired_vs_best_baseline: {mean, ci95}}, {@code
 * per_seed_effective_accuracy} and {@code per_seed_slo_attainment}; a model file's argmax mode is
 * the entry, its sampled mode nested as {@code sampled}. Top level: {@code workload}, {@code
 * disturb}, {@code seeds}, {@code first_seed}, {@code seconds}, {@code best_baseline}, {@code
 * load_average}, {@code elapsed_seconds}. NaN (e.g. a CI over one seed) is written as null.
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
    policies(root, result.policies(), "per_seed_");
    return text(root);
  }

  /**
   * The same document for repeated runs on real parts ({@code surge demo --repeat}, its {@code
   * summary.json}): {@code header}'s entries at the top (strings, numbers or null), then {@code
   * policies} with the entries {@link #write} writes, their per-seed lists named {@code
   * per_run_effective_accuracy} and {@code per_run_slo_attainment}.
   */
  public static String writeRuns(Map<String, Object> header, List<PolicyResult> policies) {
    ObjectNode root = JSON.createObjectNode();
    header.forEach((key, value) -> root.putPOJO(key, value));
    policies(root, policies, "per_run_");
    return text(root);
  }

  private static void policies(ObjectNode root, List<PolicyResult> results, String perPrefix) {
    ObjectNode policies = root.putObject("policies");
    for (PolicyResult policy : results) {
      ObjectNode entry = policies.putObject(policy.token());
      entry.put("kind", policy.kind());
      mode(entry, policy.headline(), perPrefix);
      if (policy.sampled() != null) {
        mode(entry.putObject("sampled"), policy.sampled(), perPrefix);
      }
    }
  }

  private static String text(ObjectNode root) {
    try {
      return JSON.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write results.json", e);
    }
  }

  private static void mode(ObjectNode entry, ModeResult mode, String perPrefix) {
    interval(entry, "effective_accuracy", mode.effectiveAccuracy());
    interval(entry, "slo_attainment", mode.sloInterval());
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
    var perSeed = entry.putArray(perPrefix + "effective_accuracy");
    for (double v : mode.perSeedAccuracy()) {
      perSeed.add(v);
    }
    var perSeedSlo = entry.putArray(perPrefix + "slo_attainment");
    for (double v : mode.perSeedSlo()) {
      perSeedSlo.add(v);
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
