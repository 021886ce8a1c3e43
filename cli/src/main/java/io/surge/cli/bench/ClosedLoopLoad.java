package io.surge.cli.bench;

import io.surge.serving.client.InferOptions;
import io.surge.serving.client.InferenceClient;
import io.surge.serving.engine.ModelStatistics;
import io.surge.serving.protocol.InferRequest;
import io.surge.state.metrics.Percentiles;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load over KServe v2 (HTTP or gRPC): {@code clients} virtual clients, each sending its
 * next request as soon as the previous one is answered. Requests answered inside the measurement
 * window (after a warm-up) count; the server's statistics read at the window's edges give the
 * batches it formed.
 */
final class ClosedLoopLoad {

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final InferenceClient client;
  private final String model;
  private final InferRequest request;
  private final InferOptions options;

  ClosedLoopLoad(InferenceClient client, String model, InferRequest request, Duration timeout) {
    this.client = client;
    this.model = model;
    this.request = request;
    this.options = InferOptions.defaults().withTimeout(timeout);
  }

  /** Runs one load point and returns what it measured. */
  LoadPoint run(int clients, Duration warmup, Duration window) {
    ExecutorService callbacks = Executors.newFixedThreadPool(2, daemon());
    long start = System.nanoTime() + warmup.toNanos();
    long end = start + window.toNanos();
    Window w = new Window(start, end, new CountDownLatch(clients));
    try {
      for (int i = 0; i < clients; i++) {
        send(w, callbacks);
      }
      sleepUntil(start);
      ModelStatistics before = statistics();
      long cpuBefore = OS.getProcessCpuTime();
      ThreadCpu threadsBefore = ThreadCpu.snapshot();
      sleepUntil(end);
      long cpuUsed = OS.getProcessCpuTime() - cpuBefore;
      ThreadCpu threadsAfter = ThreadCpu.snapshot();
      ModelStatistics after = statistics();
      awaitClients(w);
      double seconds = window.toNanos() / 1e9;
      double[] latencies = w.latenciesMs.stream().mapToDouble(Double::doubleValue).toArray();
      return new LoadPoint(
          clients,
          latencies.length / seconds,
          latencies.length == 0 ? Double.NaN : Percentiles.of(latencies, 0.5),
          latencies.length == 0 ? Double.NaN : Percentiles.of(latencies, 0.95),
          BatchMix.between(before, after),
          w.failures.get(),
          cpuUsed / 1e9 / seconds,
          threadsAfter.coresSince(threadsBefore, cpuUsed, seconds),
          (computeNanos(after) - computeNanos(before)) / 1e9 / seconds);
    } finally {
      callbacks.shutdownNow();
    }
  }

  /** Shared state of one load point. */
  private record Window(
      long start,
      long end,
      CountDownLatch stopped,
      ConcurrentLinkedQueue<Double> latenciesMs,
      AtomicLong failures) {
    Window(long start, long end, CountDownLatch stopped) {
      this(start, end, stopped, new ConcurrentLinkedQueue<>(), new AtomicLong());
    }
  }

  private void send(Window w, ExecutorService callbacks) {
    long sent = System.nanoTime();
    client
        .infer(model, null, request, options)
        // async: a synchronously failing call must not recurse into the next send
        .whenCompleteAsync(
            (response, failure) -> {
              long done = System.nanoTime();
              if (done - w.start() >= 0 && done - w.end() < 0) {
                if (failure == null) {
                  w.latenciesMs().add((done - sent) / 1e6);
                } else {
                  w.failures().incrementAndGet();
                }
              }
              if (done - w.end() < 0) {
                send(w, callbacks);
              } else {
                w.stopped().countDown();
              }
            },
            callbacks);
  }

  /**
   * Wall time the server spent running the model (input + infer + output), cumulative, from the
   * per-execution {@code batch_stats} (the inference stats count each request of a batch).
   */
  private static long computeNanos(ModelStatistics s) {
    long ns = 0;
    for (ModelStatistics.BatchStat b : s.batchStats()) {
      ns += b.computeInput().ns() + b.computeInfer().ns() + b.computeOutput().ns();
    }
    return ns;
  }

  private ModelStatistics statistics() {
    List<ModelStatistics> stats = client.statistics(model, null).join();
    if (stats.isEmpty()) {
      throw new IllegalStateException("the server has no statistics of " + model);
    }
    return stats.get(0);
  }

  private void awaitClients(Window w) {
    try {
      long waitMs = options.timeout().toMillis() + 5000;
      if (!w.stopped().await(waitMs, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "clients still waiting for answers after " + waitMs + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void sleepUntil(long nanoTime) {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "surge-bench-callback");
      t.setDaemon(true);
      return t;
    };
  }
}
