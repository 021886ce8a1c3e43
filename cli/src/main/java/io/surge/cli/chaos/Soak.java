package io.surge.cli.chaos;

import io.surge.cli.cluster.FlinkRest;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;

/**
 * R5 soak (issue 12): the job under a steady ~70 % of its measured capacity for {@code minutes};
 * every minute the heap after a full GC, the latest checkpoint's state size and the scheduler's
 * pending decisions (dispatched − completed − expired, from its metrics) are sampled. Capacity is
 * measured first: 20 s of open-loop overload, and the OK results per second completed in its last
 * 15 s. Promises checked: every soak request exactly one result; none of the three series rises
 * significantly (least-squares slope more than two standard errors above zero and more than 10 % of
 * the series' mean over the run); once the load stops the pending decisions drain to zero (each
 * decision is removed on its completion or by its expiry timer: the cleanup that keeps the state
 * bounded); the job never restarted.
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
  static final double RISE_TOLERANCE = 0.10;
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
      double pending,
      double expired) {}

  public ChaosOutcome run(Path dir) throws Exception {
    String tag = "chaos-soak-" + Long.toHexString(System.currentTimeMillis());
    ExecutorService sender = Executors.newSingleThreadExecutor();
    try (ChaosRig rig = new ChaosRig(dir, tag, log)) {
      rig.startJob(rig.jobOptions());
      FlinkRest rest = rig.rest();
      String service = rig.service().name();
      ChaosLoad probeLoad = new ChaosLoad(rig.topics.requests(), service, "chaos-p-");
      ChaosLoad soakLoad = new ChaosLoad(rig.topics.requests(), service, "chaos-k-");
      try (SoakTally tally =
              new SoakTally(
                  rig.kafka.bootstrapServers(),
                  rig.topics.results(),
                  rig.topics.deadLetters(),
                  "chaos-p-",
                  "chaos-k-");
          Producer<byte[], byte[]> producer =
              ChaosLoad.producer(rig.kafka.bootstrapServers(), new Properties())) {
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
            "  minute     sent  answered  heap-after-GC MB  checkpoint KB  pending  expired");
        for (int m = 1; ; m++) {
          Instant due = start.plus(SAMPLE_EVERY.multipliedBy(m));
          if (due.isAfter(end.plusSeconds(1))) {
            break;
          }
          sleepUntil(due);
          samples.add(sample(m, sent.get(), tally, rest, rig.jobId()));
          log.accept(row(samples.get(samples.size() - 1)));
        }
        sending.get();
        soakLoad.requireAllSent();
        int total = sent.get();
        boolean complete =
            tally.await(() -> tally.soakAnswered() >= total, Duration.ofSeconds(120));
        // every decision's expiry timer has fired by its deadline + margin: the map must be empty
        Thread.sleep(ChaosRig.DEADLINE_MS + 10_000);
        Sample drained = sample(-1, total, tally, rest, rig.jobId());
        log.accept(row(drained).replaceFirst("^ {6}-1", "   after"));
        return check(rig, tally, samples, drained, total, rate, complete);
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

  private static Sample sample(int minute, int sent, SoakTally tally, FlinkRest rest, String jobId)
      throws Exception {
    long answered = tally.soakAnswered();
    System.gc();
    System.gc();
    double heapMb =
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024);
    OptionalLong state = rest.latestCompletedStateSize(jobId);
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
        pending,
        metric.apply("scheduler.decisionsExpired"));
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
        "  %6.0f %8d %9d %17.1f %14.1f %8.0f %8.0f",
        s.minute(),
        s.sent(),
        s.answered(),
        s.heapMb(),
        s.stateKb(),
        s.pending(),
        s.expired());
  }

  private ChaosOutcome check(
      ChaosRig rig,
      SoakTally tally,
      List<Sample> samples,
      Sample drained,
      int sent,
      double rate,
      boolean complete)
      throws Exception {
    ChaosRig.Health health = rig.health();
    List<Double> minutes = samples.stream().map(Sample::minute).toList();
    String trends;
    boolean flat;
    if (samples.size() < 3) {
      trends = "trend: too few samples (" + samples.size() + ", need 3)";
      flat = false;
    } else {
      Trend heap = Trend.fit(minutes, samples.stream().map(Sample::heapMb).toList());
      Trend state = Trend.fit(minutes, samples.stream().map(Sample::stateKb).toList());
      Trend pending = Trend.fit(minutes, samples.stream().map(Sample::pending).toList());
      trends =
          String.format(
              Locale.ROOT,
              "slopes per minute: heap %+.2f±%.2f MB (mean %.0f), checkpoint %+.2f±%.2f KB"
                  + " (mean %.0f), pending %+.2f±%.2f (mean %.1f)",
              heap.slope(),
              heap.standardError(),
              heap.mean(),
              state.slope(),
              state.standardError(),
              state.mean(),
              pending.slope(),
              pending.standardError(),
              pending.mean());
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
    log.accept("  soak results per status: " + tally.soakByStatus());
    log.accept("  " + trends);
    log.accept(
        String.format(
            Locale.ROOT,
            "  job: %s, restarts %d, last failure: %s",
            health.status(),
            health.restarts(),
            health.firstLineOfFailure()));
    boolean passed =
        complete
            && missing == 0
            && duplicated == 0
            && unexpected == 0
            && tally.deadLetters() == 0
            && tally.undecodable() == 0
            && flat
            && cleanedUp
            && health.healthy();
    String figures =
        String.format(
            Locale.ROOT,
            "%.1f min at %.0f/s: requests %d: missing %d, duplicated %d, unexpected %d; %s;"
                + " rising %s; after the load pending %.0f, expired %.0f; job %s, restarts %d",
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
            health.status(),
            health.restarts());
    return new ChaosOutcome(Scenario.SOAK.cliName(), passed, figures);
  }

  private static void sleepUntil(Instant due) throws InterruptedException {
    long ms = Duration.between(Instant.now(), due).toMillis();
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }
}
