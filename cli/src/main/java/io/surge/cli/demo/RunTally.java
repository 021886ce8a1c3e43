package io.surge.cli.demo;

import io.surge.schema.InferenceResult;
import io.surge.schema.ResultStatus;
import io.surge.state.metrics.Scoreboard;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tallies of one run's results, whoever reads them (the demo's collector, {@code surge
 * report}): distinct request ids, counts by status and variant, duplicates, the {@link Scoreboard},
 * a {@link Timeline} by creation time, error kinds and decision delays. Not thread-safe: its owner
 * synchronises.
 */
final class RunTally {

  private final List<String> variants;
  private final Set<String> seen = new HashSet<>();
  private final Map<ResultStatus, Long> byStatus = new EnumMap<>(ResultStatus.class);
  private final long[] byVariant;
  private final Scoreboard scoreboard;
  private final Map<String, Long> errors = new HashMap<>();
  private final Samples decisionDelay = new Samples();
  private Timeline timeline;
  private long duplicates;

  /**
   * @param variants the service's variants in catalog order
   * @param startMillis where the timeline's second 0 is
   */
  RunTally(List<String> variants, long startMillis) {
    this.variants = List.copyOf(variants);
    this.byVariant = new long[variants.size()];
    this.scoreboard = new Scoreboard(this.variants);
    this.timeline = new Timeline(startMillis, variants.size());
  }

  void restartTimeline(long startMillis) {
    timeline = new Timeline(startMillis, variants.size());
  }

  /** Counts a result once per request id; a repeated id is counted as a duplicate only. */
  void add(InferenceResult result) {
    if (!seen.add(result.getRequestId())) {
      duplicates++;
      return;
    }
    ResultStatus outcome = ResultStatus.valueOf(result.getStatus());
    byStatus.merge(outcome, 1L, Long::sum);
    if (result.getError() != null && outcome != ResultStatus.SHED) {
      errors.merge(errorKind(result.getError()), 1L, Long::sum);
    }
    int variant = result.getVariant() == null ? -1 : variants.indexOf(result.getVariant());
    if (variant >= 0) {
      byVariant[variant]++;
    }
    scoreboard.record(
        outcome,
        variant,
        result.getReward(),
        result.getLatencyMs(),
        result.getCompletedAt().toEpochMilli());
    timeline.add(result.getCreatedAt().toEpochMilli(), outcome, result.getAccuracy(), variant);
    if (result.getDecidedAt() != null) {
      decisionDelay.add(
          result.getDecidedAt().toEpochMilli() - result.getCreatedAt().toEpochMilli());
    }
  }

  /** An error message without its request-specific details, so equal causes count together. */
  static String errorKind(String error) {
    String kind = error.replaceAll("[0-9]+", "N");
    return kind.length() > 120 ? kind.substring(0, 120) + "..." : kind;
  }

  Map.Entry<String, Long> commonestError() {
    return errors.entrySet().stream().max(Map.Entry.comparingByValue()).orElse(null);
  }

  long results() {
    return seen.size();
  }

  long duplicates() {
    return duplicates;
  }

  Map<ResultStatus, Long> byStatus() {
    return new EnumMap<>(byStatus);
  }

  long[] variantCounts() {
    return byVariant.clone();
  }

  Scoreboard.Summary summary() {
    return scoreboard.summary();
  }

  Samples decisionDelay() {
    return decisionDelay.copy();
  }

  Timeline timeline() {
    return timeline.copy();
  }
}
