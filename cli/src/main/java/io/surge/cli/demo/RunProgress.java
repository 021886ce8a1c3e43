package io.surge.cli.demo;

import io.surge.schema.ResultStatus;
import io.surge.state.catalog.Catalog;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Prints a line about a running policy every interval: elapsed time, requests sent, results by
 * status (they trail the load by a checkpoint: results are read committed), and the variant mix of
 * the results so far.
 */
final class RunProgress implements AutoCloseable {

  private final ScheduledExecutorService timer;
  private final String policy;
  private final List<String> variantNames;
  private final LongSupplier sent;
  private final RunCollector collector;
  private final Consumer<String> log;
  private final long startNanos = System.nanoTime();

  RunProgress(
      String policy,
      Catalog.Service service,
      LongSupplier sent,
      RunCollector collector,
      Consumer<String> log,
      long intervalMillis) {
    this.policy = policy;
    this.variantNames = service.variants().stream().map(v -> shortName(v.name())).toList();
    this.sent = sent;
    this.collector = collector;
    this.log = log;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "demo-progress");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleAtFixedRate(this::print, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  /** {@code resnet152-like} reads as {@code resnet152} in a progress line. */
  static String shortName(String variant) {
    return variant.endsWith("-like") ? variant.substring(0, variant.length() - 5) : variant;
  }

  void print() {
    log.accept(line(sent.getAsLong(), collector.snapshot()));
  }

  String line(long sentCount, RunCollector.Snapshot s) {
    StringBuilder mix = new StringBuilder();
    long served = 0;
    for (long c : s.variantCounts()) {
      served += c;
    }
    for (int i = 0; i < variantNames.size() && served > 0; i++) {
      long pct = Math.round(100.0 * s.variantCounts()[i] / served);
      if (pct > 0) {
        mix.append(' ').append(variantNames.get(i)).append(' ').append(pct).append('%');
      }
    }
    return String.format(
        Locale.ROOT,
        "  [%s] %5.1f s  sent %6d  results %6d (OK %d, LATE %d, SHED %d, FAILED %d)  mix:%s",
        policy,
        (System.nanoTime() - startNanos) / 1e9,
        sentCount,
        s.results(),
        s.count(ResultStatus.OK),
        s.count(ResultStatus.LATE),
        s.count(ResultStatus.SHED),
        s.count(ResultStatus.FAILED),
        mix.length() == 0 ? " -" : mix);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
