package io.surge.serving.engine;

import io.surge.serving.engine.ModelStatistics.BatchStat;
import io.surge.serving.engine.ModelStatistics.Stat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cumulative statistics of one model in Triton's meaning: {@code inference_count} counts inferences
 * (the rows of every request, so a request of batch 4 counts 4), {@code execution_count} counts
 * model executions; success/fail/queue/compute stats count requests, the compute ones charging each
 * request its batch's duration; batch stats count executions per batch size.
 */
final class ModelStatsRecorder {

  private final String name;
  private final String version;
  private long lastInferenceMillis;
  private long inferenceCount;
  private long executionCount;
  private final MutableStat success = new MutableStat();
  private final MutableStat fail = new MutableStat();
  private final MutableStat queue = new MutableStat();
  private final MutableStat computeInput = new MutableStat();
  private final MutableStat computeInfer = new MutableStat();
  private final MutableStat computeOutput = new MutableStat();
  private final Map<Integer, MutableStat[]> batches = new TreeMap<>();

  ModelStatsRecorder(String name, String version) {
    this.name = name;
    this.version = version;
  }

  /** One successful execution of {@code requests} requests, {@code batchSize} rows in all. */
  synchronized void execution(
      int requests, int batchSize, long inputNanos, long inferNanos, long outputNanos) {
    executionCount++;
    inferenceCount += batchSize;
    lastInferenceMillis = System.currentTimeMillis();
    computeInput.add(requests, inputNanos * requests);
    computeInfer.add(requests, inferNanos * requests);
    computeOutput.add(requests, outputNanos * requests);
    MutableStat[] batch =
        batches.computeIfAbsent(
            batchSize,
            b -> new MutableStat[] {new MutableStat(), new MutableStat(), new MutableStat()});
    batch[0].add(1, inputNanos);
    batch[1].add(1, inferNanos);
    batch[2].add(1, outputNanos);
  }

  /** A request taken from the queue after waiting {@code queueNanos}. */
  synchronized void dequeued(long queueNanos) {
    queue.add(1, queueNanos);
  }

  synchronized void success(long totalNanos) {
    success.add(1, totalNanos);
  }

  synchronized void failure(long totalNanos) {
    fail.add(1, totalNanos);
  }

  synchronized ModelStatistics snapshot() {
    List<BatchStat> batchStats = new ArrayList<>();
    batches.forEach(
        (size, s) -> batchStats.add(new BatchStat(size, s[0].get(), s[1].get(), s[2].get())));
    return new ModelStatistics(
        name,
        version,
        lastInferenceMillis,
        inferenceCount,
        executionCount,
        success.get(),
        fail.get(),
        queue.get(),
        computeInput.get(),
        computeInfer.get(),
        computeOutput.get(),
        batchStats);
  }

  private static final class MutableStat {
    private long count;
    private long ns;

    void add(long n, long nanos) {
      count += n;
      ns += nanos;
    }

    Stat get() {
      return new Stat(count, ns);
    }
  }
}
