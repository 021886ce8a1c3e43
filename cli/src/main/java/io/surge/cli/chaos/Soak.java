package io.surge.cli.chaos;

import io.surge.cli.cluster.FlinkRest;
import io.surge.jobs.config.SurgeOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.Producer;

/**
 * R5 soak (issue 12): the job under a steady ~70 % of its measured capacity for {@code minutes};
 * every minute the heap after a full GC, the latest checkpoint's state size and the scheduler's
 * pending decisions (dispatched − completed − expired, from its metrics) are sampled. Capacity is
 * measured first: 20 s of open-loop overload, and the OK results per second completed in its last
 * 15 s. Promises checked: every soak request exactly one result; after the warm-up (the first third
 * of the run, when bounded caches fill) none of the three series rises significantly (least-squares
 * slope more than two standard errors above zero and more than 10 % of the series' mean over the
 * span; at least 5 minutes are needed for 3 such samples); once the load stops the pending
 * decisions drain to zero (each decision is removed on its completion or by its expiry timer: the
 * cleanup that keeps the state bounded); the scheduler's keyed state shrinks once the idle
 * service's state outlives the job's state TTL (60 s here); the job never restarted.
 *
 * <p>The job runs on a MiniCluster in this JVM, so the heap sampled holds the broker, the servers
 * and this harness too; the harness keeps one bit per request, so its share does not grow.
 */
public final class Soak {

  /** How long, and at which rate (null: 70 % of the measured capacity). */
  public record Options(double minutes, Double rate) {
    public static Options defaults() {
      return new Options(30, null);
    }
  }

  static final double UTILISATION = 0.7;

  /**
   * The job's state TTL in the soak: short, so that the cleanup of an idle service's state shows
   * within the run (the default, 1 h, is a backstop no soak reaches); the load refreshes it.
   */
  static final Duration STATE_TTL = Duration.ofSeconds(60);

  static final double RISE_TOLERANCE = 0.10;

  /** The share of the run whose samples the trends leave out as warm-up. */
  static final double WARM_UP_SHARE = 1.0 / 3;

  private static final double PROBE_RATE = 800;
  private static final Duration PROBE = Duration.ofSeconds(20);
  private static final Duration PROBE_WARM_UP = Duration.ofSeconds(5);
  private static final Duration SAMPLE_EVERY = Duration.ofMinutes(1);
  private static final String SCHEDULER_VERTEX = "scheduler";
  private static final List<String> SCHEDULER_METRICS =
      List.of("scheduler.dispatched", "scheduler.completions", "scheduler.decisionsExpired");

  private final Options options;
  private final Consumer<String> log;

  public Soak(Options options, Consumer<String> log) {
    this.options = options;
    this.log = log;
  }

  /** One row of the table. */
  record Sample(
      double minute,
      int sent,
      long answered,
      double heapMb,
      double stateKb,
      double schedulerKb,
      double pending,
      double expired,
      int transactionalIds) {}

  public ChaosOutcome run(Path dir) throws Exception {
    String tag = "chaos-soak-" + Long.toHexString(System.currentTimeMillis());
    ExecutorService sender = Executors.newSingleThreadExecutor();
    try (ChaosRig rig = new ChaosRig(dir, tag, log)) {
      Configuration jobOptions = rig.jobOptions();
      jobOptions.set(SurgeOptions.STATE_TTL, STATE_TTL);
      rig.startJob(jobOptions);
      FlinkRest rest = rig.rest();
      ChaosLoad probeLoad = rig.load("chaos-p-");
      ChaosLoad soakLoad = rig.load("chaos-k-");
      try (SoakTally tally =
              new SoakTally(
                  rig.kafka.bootstrapServers(),
                  rig.topics.results(),
                  rig.topics.deadLetters(),
                  "chaos-p-",
                  "chaos-k-");
          Producer<byte[], byte[]> producer = rig.producer()) {
        double rate = options.rate() != null ? options.rate() : probe(probeLoad, producer, tally);
        log.accept(
            String.format(
                Locale.ROOT,
                "  soak: %.0f requests/s for %.1f min; a sample every minute",
                rate,
                options.minutes()));
        AtomicInteger sent = new AtomicInteger();
        Instant start = Instant.now();
        Instant end = start.plusMillis(Math.round(options.minutes() * 60_000));
        Future<?> sending =
            sender.submit(
                () -> {
                  sendUntil(soakLoad, producer, rate, end, sent);
                  return null;
                });
        List<Sample> samples = new ArrayList<>();
        log.accept(
            "  minute     sent  answered  heap-after-GC MB  checkpoint KB  scheduler KB"
                + "  pending  expired  txn ids");
        for (int m = 1; ; m++) {
          Instant due = start.plus(SAMPLE_EVERY.multipliedBy(m));
          if (due.isAfter(end.plusSeconds(1))) {
            break;
          }
          sleepUntil(due);
          samples.add(sample(m, sent.get(), tally, rest, rig));
          log.accept(row(samples.get(samples.size() - 1)));
        }
        sending.get();
        soakLoad.requireAllSent();
        int total = sent.get();
        boolean complete =
            tally.await(() -> tally.soakAnswered() >= total, Duration.ofSeconds(120));
        // every decision's expiry timer has fired by its deadline + margin: the map must be empty
        Thread.sleep(ChaosRig.DEADLINE_MS + 10_000);
        Sample drained = sample(-1, total, tally, rest, rig);
        log.accept(row(drained).replaceFirst("^ {6}-1", "   after"));
        // the service receives nothing more: once its state outlives the TTL, the next full
        // snapshot drops it (Flink's cleanup of expired state in full snapshots)
        Thread.sleep(STATE_TTL.toMillis() + 5_000);
        Sample afterTtl = sample(-2, total, tally, rest, rig);
        log.accept(row(afterTtl).replaceFirst("^ {6}-2", "     ttl"));
        return check(rig, tally, samples, drained, afterTtl, total, rate, complete);
      }
    } finally {
      sender.shutdownNow();
    }
  }

  /** Overloads the job for 20 s and returns 70 % of the OK results per second it completed. */
  private double probe(ChaosLoad load, Producer<byte[], byte[]> producer, SoakTally tally)
      throws Exception {
    log.accept(
        String.format(
            Locale.ROOT,
            "  capacity probe: %.0f requests/s for %d s",
            PROBE_RATE,
            PROBE.toSeconds()));
    Instant from = Instant.now();
    int sent = (int) (PROBE_RATE * PROBE.toSeconds());
    long startNanos = System.nanoTime();
    for (int i = 0; i < sent; i++) {
      ChaosLoad.pace(startNanos, i, PROBE_RATE);
      load.send(producer, load.record(load.request("chaos-p-" + i, Instant.now())));
    }
    producer.flush();
    load.requireAllSent();
    Instant to = Instant.now();
    boolean all = tally.await(() -> tally.probeAnswered() >= sent, Duration.ofSeconds(180));
    Instant measuredFrom = from.plus(PROBE_WARM_UP);
    double seconds = Duration.between(measuredFrom, to).toMillis() / 1000.0;
    double capacity = tally.probeOkBetween(measuredFrom, to) / seconds;
    log.accept(
        String.format(
            Locale.ROOT,
            "  capacity: %.0f OK results/s in the probe's last %.0f s (%s probe requests"
                + " answered)",
            capacity,
            seconds,
            all ? "all" : tally.probeAnswered() + " of " + sent));
    if (capacity <= 0) {
      throw new IllegalStateException("the capacity probe measured no OK result");
    }
    return UTILISATION * capacity;
  }

  private static void sendUntil(
      ChaosLoad load,
      Producer<byte[], byte[]> producer,
      double rate,
      Instant end,
      AtomicInteger sent)
      throws InterruptedException {
    long startNanos = System.nanoTime();
    for (int i = 0; Instant.now().isBefore(end); i++) {
      ChaosLoad.pace(startNanos, i, rate);
      load.send(producer, load.record(load.request("chaos-k-" + i, Instant.now())));
      sent.set(i + 1);
    }
    producer.flush();
  }

  private static Sample sample(int minute, int sent, SoakTally tally, FlinkRest rest, ChaosRig rig)
      throws Exception {
    String jobId = rig.jobId();
    long answered = tally.soakAnswered();
    System.gc();
    System.gc();
    double heapMb =
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024);
    OptionalLong state = rest.latestCompletedStateSize(jobId);
    OptionalLong scheduler = rest.latestCompletedVertexStateSize(jobId, SCHEDULER_VERTEX);
    Map<String, Double> m = schedulerMetrics(rest, jobId);
    Function<String, Double> metric = name -> m.getOrDefault(name, Double.NaN);
    double pending =
        metric.apply("scheduler.dispatched")
            - metric.apply("scheduler.completions")
            - metric.apply("scheduler.decisionsExpired");
    return new Sample(
        minute,
        sent,
        answered,
        heapMb,
        state.isPresent() ? state.getAsLong() / 1024.0 : Double.NaN,
        scheduler.isPresent() ? scheduler.getAsLong() / 1024.0 : Double.NaN,
        pending,
        metric.apply("scheduler.decisionsExpired"),
        rig.transactionalIds());
  }

  /**
   * The scheduler's counters; Flink's REST API fetches metrics from the TaskManager every few
   * seconds, so the first read of a job may find none yet: it is retried for up to 20 s.
   */
  private static Map<String, Double> schedulerMetrics(FlinkRest rest, String jobId)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      Map<String, Double> m = rest.vertexMetricSums(jobId, SCHEDULER_VERTEX, SCHEDULER_METRICS);
      if (m.keySet().containsAll(SCHEDULER_METRICS) || System.nanoTime() > deadline) {
        return m;
      }
      Thread.sleep(1_000);
    }
  }

  private static String row(Sample s) {
    return String.format(
        Locale.ROOT,
        "  %6.0f %8d %9d %17.1f %14.1f %13.1f %8.0f %8.0f %8d",
        s.minute(),
        s.sent(),
        s.answered(),
        s.heapMb(),
        s.stateKb(),
        s.schedulerKb(),
        s.pending(),
        s.expired(),
        s.transactionalIds());
  }

  private ChaosOutcome check(
      ChaosRig rig,
      SoakTally tally,
      List<Sample> samples,
      Sample drained,
      Sample afterTtl,
      int sent,
      double rate,
      boolean complete)
      throws Exception {
    ChaosRig.Health health = rig.health();
    // the first third is warm-up: bounded caches (e.g. the broker's request-metric reservoirs,
    // 1,028 samples each) fill then; a leak keeps rising after it
    List<Sample> steady =
        samples.stream().filter(x -> x.minute() > options.minutes() * WARM_UP_SHARE).toList();
    String trends;
    boolean flat;
    if (steady.size() < 3) {
      trends = "trend: too few samples after the warm-up (" + steady.size() + ", need 3)";
      flat = false;
    } else {
      Trend heap = fit(steady, Sample::heapMb);
      Trend state = fit(steady, Sample::stateKb);
      Trend pending = fit(steady, Sample::pending);
      trends =
          String.format(
              Locale.ROOT,
              "slopes per minute after the warm-up (minutes %.0f-%.0f): heap %+.2f±%.2f MB (mean"
                  + " %.0f), checkpoint %+.2f±%.2f KB (mean %.0f), pending %+.2f±%.2f (mean %.1f);"
                  + " heap over the whole run %+.2f±%.2f MB",
              steady.get(0).minute(),
              steady.get(steady.size() - 1).minute(),
              heap.slope(),
              heap.standardError(),
              heap.mean(),
              state.slope(),
              state.standardError(),
              state.mean(),
              pending.slope(),
              pending.standardError(),
              pending.mean(),
              samples.size() < 3 ? Double.NaN : fit(samples, Sample::heapMb).slope(),
              samples.size() < 3 ? Double.NaN : fit(samples, Sample::heapMb).standardError());
      flat =
          !heap.rises(RISE_TOLERANCE)
              && !state.rises(RISE_TOLERANCE)
              && !pending.rises(RISE_TOLERANCE)
              && !Double.isNaN(state.mean())
              && !Double.isNaN(pending.mean());
    }
    long missing = tally.soakMissing(sent);
    long duplicated = tally.soakDuplicated();
    long unexpected = tally.unexpected(sent);
    boolean cleanedUp = drained.pending() == 0;
    // the scheduler's keyed state (workload estimators, in-flight table) gone with the TTL
    boolean ttlCleaned = afterTtl.schedulerKb() < drained.schedulerKb();
    log.accept("  soak results per status: " + tally.soakByStatus());
    log.accept("  " + trends);
    log.accept("  " + health.line());
    boolean passed =
        complete
            && missing == 0
            && duplicated == 0
            && unexpected == 0
            && tally.deadLetters() == 0
            && tally.undecodable() == 0
            && flat
            && cleanedUp
            && ttlCleaned
            && health.healthy();
    String figures =
        String.format(
            Locale.ROOT,
            "%.1f min at %.0f/s: requests %d: missing %d, duplicated %d, unexpected %d; %s;"
                + " rising %s; after the load pending %.0f, expired %.0f; scheduler state %.1f KB"
                + " -> %.1f KB %d s later (TTL %d s); transactional ids on the broker %d -> %d; %s",
            options.minutes(),
            rate,
            sent,
            missing,
            duplicated,
            unexpected,
            trends,
            flat ? "none" : "yes",
            drained.pending(),
            drained.expired(),
            drained.schedulerKb(),
            afterTtl.schedulerKb(),
            (STATE_TTL.toMillis() + 5_000) / 1000,
            STATE_TTL.toSeconds(),
            samples.isEmpty() ? 0 : samples.get(0).transactionalIds(),
            drained.transactionalIds(),
            health.figures());
    return new ChaosOutcome(Scenario.SOAK.cliName(), passed, figures);
  }

  private static Trend fit(List<Sample> samples, Function<Sample, Double> series) {
    return Trend.fit(
        samples.stream().map(Sample::minute).toList(), samples.stream().map(series).toList());
  }

  private static void sleepUntil(Instant due) throws InterruptedException {
    long ms = Duration.between(Instant.now(), due).toMillis();
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }
}
