package io.surge.serving.engine;

import java.util.List;

/**
 * Cumulative statistics of one model, as Triton's statistics extension reports them: each stat a
 * count and total nanoseconds; clients take deltas between two reads.
 */
public record ModelStatistics(
    String name,
    String version,
    long lastInferenceMillis,
    long inferenceCount,
    long executionCount,
    Stat success,
    Stat fail,
    Stat queue,
    Stat computeInput,
    Stat computeInfer,
    Stat computeOutput,
    List<BatchStat> batchStats) {

  /** A cumulative count and duration. */
  public record Stat(long count, long ns) {}

  /** Executions at one batch size. */
  public record BatchStat(
      int batchSize, Stat computeInput, Stat computeInfer, Stat computeOutput) {}
}
