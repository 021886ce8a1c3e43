package io.surge.train.eval;

import java.util.Locale;
import java.util.Map;

/**
 * The evaluation as a markdown table (printed, and written to {@code results.md}): percentages for
 * reading, with the 95 % CI half-widths; a model file gets a second row for its sampled mode.
 */
public final class EvaluationTable {

  private EvaluationTable() {}

  public static String markdown(EvaluationResult result) {
    EvaluationPlan plan = result.plan();
    StringBuilder sb = new StringBuilder();
    sb.append("Workload `")
        .append(plan.workload().toSpec())
        .append('`')
        .append(
            plan.disturbances().isEmpty()
                ? ""
                : ", disturbances `" + plan.disturbances().toSpec() + "`")
        .append(String.format(Locale.ROOT, ", %d seeds of %.0f s", plan.seeds(), plan.seconds()))
        .append(
            result.bestBaseline() == null ? "" : ", best baseline `" + result.bestBaseline() + "`")
        .append(".\n\n");
    sb.append(
        "| policy | mode | effective accuracy % | vs best baseline (pp) | on time % | shed % |"
            + " p99 ms | variant mix |\n");
    sb.append("|---|---|---|---|---|---|---|---|\n");
    for (PolicyResult policy : result.policies()) {
      boolean model = policy.sampled() != null;
      row(sb, policy.token(), model ? "argmax" : policy.kind(), policy.headline());
      if (model) {
        row(sb, policy.token(), "sampled", policy.sampled());
      }
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, String token, String mode, ModeResult r) {
    sb.append("| ")
        .append(token)
        .append(" | ")
        .append(mode)
        .append(" | ")
        .append(percent(r.effectiveAccuracy()))
        .append(" | ")
        .append(r.pairedVsBestBaseline() == null ? "" : percent(r.pairedVsBestBaseline()))
        .append(" | ")
        .append(String.format(Locale.ROOT, "%.1f", r.sloAttainment() * 100))
        .append(" | ")
        .append(String.format(Locale.ROOT, "%.1f", r.shedRate() * 100))
        .append(" | ")
        .append(String.format(Locale.ROOT, "%.1f", r.p99Ms()))
        .append(" | ")
        .append(mix(r.variantMix()))
        .append(" |\n");
  }

  private static String percent(MeanInterval interval) {
    String mean = String.format(Locale.ROOT, "%.2f", interval.mean() * 100);
    return Double.isFinite(interval.ci95())
        ? mean + String.format(Locale.ROOT, " ± %.2f", interval.ci95() * 100)
        : mean;
  }

  private static String mix(Map<String, Double> shares) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Double> share : shares.entrySet()) {
      if (share.getValue() >= 0.005) {
        sb.append(sb.isEmpty() ? "" : " ")
            .append(share.getKey())
            .append(' ')
            .append(Math.round(share.getValue() * 100))
            .append('%');
      }
    }
    return sb.toString();
  }
}
