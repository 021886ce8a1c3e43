package io.surge.cli.bench;

import io.surge.policy.baseline.LargestPolicy;
import java.time.Duration;

/**
 * What {@link JobThroughputBenchmark} runs.
 *
 * @param requests requests pre-loaded into each job's requests topic
 * @param servers embedded inference servers of the zero-compute ladder
 * @param policy the scheduler's heuristic, e.g. {@code largest} or {@code greedy-slo}
 * @param parallelism of both jobs (also the partitions of their topics)
 * @param invokerCapacity async calls in flight per invoker subtask
 * @param checkpointInterval how often the exactly-once sinks commit
 * @param httpThreads threads that complete each invoker's HTTP calls, or 0 for the clients' own
 *     event loops
 * @param batch 1: one protocol call per request; more: the production invoker's micro-batched calls
 *     ({@code surge.invoker.micro-batch.max-rows}) of up to this many rows (at most the models' max
 *     batch size), with its default window
 * @param deadlineMs deadline of every request: large, so that nothing is shed or late for lack of
 *     slack (this measures throughput, not SLOs)
 * @param timeout how long one job may take to deliver every result
 */
public record JobBenchOptions(
    int requests,
    int servers,
    String policy,
    int parallelism,
    int invokerCapacity,
    Duration checkpointInterval,
    int httpThreads,
    int batch,
    int deadlineMs,
    Duration timeout) {

  /** Calls in flight per invoker subtask: the generated servers' queue bound (max_queue_size). */
  static final int INVOKER_CAPACITY = 256;

  public JobBenchOptions {
    positive("requests", requests);
    positive("servers", servers);
    positive("parallelism", parallelism);
    positive("invoker capacity", invokerCapacity);
    positive("deadline", deadlineMs);
    positive("batch", batch);
    if (httpThreads < 0) {
      throw new IllegalArgumentException("http threads must be 0 (JDK default) or positive");
    }
    if (policy == null || policy.isBlank()) {
      throw new IllegalArgumentException("a scheduling policy is needed");
    }
    if (checkpointInterval == null || checkpointInterval.toMillis() < 10) {
      throw new IllegalArgumentException(
          "checkpoint interval must be at least 10 ms, got " + checkpointInterval);
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
  }

  /**
   * 200k requests, two servers, {@code largest}, parallelism 2, {@value #INVOKER_CAPACITY} calls in
   * flight (more share each call and each thread wake-up: on the Netty transport the full job did
   * 2.4-2.6k results/s at 64 and 4.0-4.3k at 256-512 in warm runs; at 512 one call per request
   * overflows the generated servers' queues of 256 and ~0.1 % end LATE with a 503), and the
   * settings tuned on a small shared machine: 100 ms checkpoints (at 500 ms the pass-through job
   * delivered its 200k results in one to three commits, and its rate swung 8x from run to run),
   * futures completed on the HTTP clients' own event loops (no hand-off).
   */
  public static JobBenchOptions defaults() {
    return new JobBenchOptions(
        200_000,
        2,
        LargestPolicy.NAME,
        2,
        INVOKER_CAPACITY,
        Duration.ofMillis(100),
        0,
        1,
        600_000,
        Duration.ofMinutes(10));
  }

  public JobBenchOptions withRequests(int n) {
    return new JobBenchOptions(
        n,
        servers,
        policy,
        parallelism,
        invokerCapacity,
        checkpointInterval,
        httpThreads,
        batch,
        deadlineMs,
        timeout);
  }

  public JobBenchOptions withServers(int n) {
    return new JobBenchOptions(
        requests,
        n,
        policy,
        parallelism,
        invokerCapacity,
        checkpointInterval,
        httpThreads,
        batch,
        deadlineMs,
        timeout);
  }

  public JobBenchOptions withPolicy(String name) {
    return new JobBenchOptions(
        requests,
        servers,
        name,
        parallelism,
        invokerCapacity,
        checkpointInterval,
        httpThreads,
        batch,
        deadlineMs,
        timeout);
  }

  public JobBenchOptions withParallelism(int p) {
    return new JobBenchOptions(
        requests,
        servers,
        policy,
        p,
        invokerCapacity,
        checkpointInterval,
        httpThreads,
        batch,
        deadlineMs,
        timeout);
  }

  public JobBenchOptions withInvokerCapacity(int c) {
    return new JobBenchOptions(
        requests,
        servers,
        policy,
        parallelism,
        c,
        checkpointInterval,
        httpThreads,
        batch,
        deadlineMs,
        timeout);
  }

  public JobBenchOptions withCheckpointInterval(Duration d) {
    return new JobBenchOptions(
        requests,
        servers,
        policy,
        parallelism,
        invokerCapacity,
        d,
        httpThreads,
        batch,
        deadlineMs,
        timeout);
  }

  public JobBenchOptions withHttpThreads(int n) {
    return new JobBenchOptions(
        requests,
        servers,
        policy,
        parallelism,
        invokerCapacity,
        checkpointInterval,
        n,
        batch,
        deadlineMs,
        timeout);
  }

  public JobBenchOptions withTimeout(Duration d) {
    return new JobBenchOptions(
        requests,
        servers,
        policy,
        parallelism,
        invokerCapacity,
        checkpointInterval,
        httpThreads,
        batch,
        deadlineMs,
        d);
  }

  public JobBenchOptions withBatch(int n) {
    return new JobBenchOptions(
        requests,
        servers,
        policy,
        parallelism,
        invokerCapacity,
        checkpointInterval,
        httpThreads,
        n,
        deadlineMs,
        timeout);
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }
}
