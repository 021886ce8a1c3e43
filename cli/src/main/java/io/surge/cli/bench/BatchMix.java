package io.surge.cli.bench;

import io.surge.serving.engine.ModelStatistics;
import java.util.Map;
import java.util.TreeMap;

/**
 * The executions a server ran in an interval, by batch size: the difference of two reads of its
 * cumulative {@code batch_stats}.
 *
 * @param executionsByBatch executions per batch size (rows)
 */
public record BatchMix(Map<Integer, Long> executionsByBatch) {

  public BatchMix {
    executionsByBatch = Map.copyOf(executionsByBatch);
  }

  /** What ran between two statistics reads of the same model. */
  public static BatchMix between(ModelStatistics before, ModelStatistics after) {
    Map<Integer, Long> counts = new TreeMap<>();
    for (ModelStatistics.BatchStat b : after.batchStats()) {
      counts.merge(b.batchSize(), b.computeInfer().count(), Long::sum);
    }
    for (ModelStatistics.BatchStat b : before.batchStats()) {
      counts.merge(b.batchSize(), -b.computeInfer().count(), Long::sum);
    }
    counts.values().removeIf(c -> c <= 0);
    return new BatchMix(counts);
  }

  /** The executions of both. */
  public BatchMix plus(BatchMix other) {
    Map<Integer, Long> counts = new TreeMap<>(executionsByBatch);
    other.executionsByBatch.forEach((batch, n) -> counts.merge(batch, n, Long::sum));
    return new BatchMix(counts);
  }

  /** Executions of exactly {@code batch} rows. */
  public long executionsAt(int batch) {
    return executionsByBatch.getOrDefault(batch, 0L);
  }

  public long executions() {
    return executionsByBatch.values().stream().mapToLong(Long::longValue).sum();
  }

  public long rows() {
    return executionsByBatch.entrySet().stream().mapToLong(e -> e.getKey() * e.getValue()).sum();
  }

  /** Mean rows per execution; 0 when nothing ran. */
  public double meanBatch() {
    long executions = executions();
    return executions == 0 ? 0 : (double) rows() / executions;
  }

  /** The batch sizes that ran, ascending. */
  public int[] batchSizes() {
    return new TreeMap<>(executionsByBatch).keySet().stream().mapToInt(Integer::intValue).toArray();
  }
}
