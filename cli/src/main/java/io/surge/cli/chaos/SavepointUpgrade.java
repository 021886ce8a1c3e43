package io.surge.cli.chaos;

import io.surge.jobs.config.SurgeOptions;
import io.surge.policy.baseline.SmallestPolicy;
import io.surge.schema.InferenceResult;
import io.surge.state.catalog.Catalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.Producer;

/**
 * Savepoint upgrade (issue 12): while requests flow, the running scheduling job is stopped with a
 * savepoint and a changed job is started from it, as an operator upgrades a release. The change is
 * in stateless parts only, with every uid kept: the built-in policy becomes {@code smallest}
 * (instead of {@code greedy-slo}), so that decisions of the new job can be told from the old one's,
 * and the invoker's capacity is halved. Promises checked: every request sent before, during and
 * after the upgrade has exactly one result ({@code read_committed}), nothing unexpected and no dead
 * letter; every request the new job decided was decided by the changed policy; the new job never
 * restarted.
 */
public final class SavepointUpgrade {

  /** How many requests, how fast, and when (as a fraction of the sending) the upgrade happens. */
  public record Options(int requests, double rate, double upgradeAt) {
    public static Options defaults() {
      return new Options(6000, 200, 0.5);
    }
  }

  private final Options options;
  private final Consumer<String> log;

  public SavepointUpgrade(Options options, Consumer<String> log) {
    this.options = options;
    this.log = log;
  }

  /** The upgraded job's options: the old ones with the stateless changes above. */
  static Configuration upgraded(Configuration before) {
    Configuration after = new Configuration(before);
    after.set(SurgeOptions.INITIAL_POLICY, SmallestPolicy.NAME);
    after.set(
        SurgeOptions.INVOKER_CAPACITY, Math.max(1, before.get(SurgeOptions.INVOKER_CAPACITY) / 2));
    return after;
  }

  public ChaosOutcome run(Path dir) throws Exception {
    String tag = "chaos-upgrade-" + Long.toHexString(System.currentTimeMillis());
    ExecutorService sender = Executors.newSingleThreadExecutor();
    try (ChaosRig rig = new ChaosRig(dir, tag, log)) {
      Configuration before = rig.jobOptions();
      log.accept(
          String.format(
              Locale.ROOT,
              "  broker transaction.version %d; the sinks name transactions %s",
              rig.transactionVersion(),
              before.get(SurgeOptions.TRANSACTION_NAMING)));
      rig.startJob(before);
      ChaosLoad load = rig.load("chaos-u-");
      try (ChaosTally tally = rig.tally();
          Producer<byte[], byte[]> producer = rig.producer()) {
        log.accept(
            String.format(
                Locale.ROOT,
                "  sending %d requests at %.0f/s; the upgrade starts after %.0f %% of them",
                options.requests(),
                options.rate(),
                options.upgradeAt() * 100));
        Future<Integer> sending =
            sender.submit(
                () -> load.send(producer, options.requests(), options.rate(), () -> false));
        Thread.sleep((long) (options.requests() * options.upgradeAt() / options.rate() * 1000));
        Upgrade upgrade = upgrade(rig, before, dir, load);
        sending.get();
        load.requireAllSent();
        boolean complete =
            tally.await(
                () -> tally.distinctResultIds() >= load.size(),
                () -> false,
                Duration.ofSeconds(180));
        ChaosRig.awaitFewMoreCheckpoints();
        return check(rig, tally, load, upgrade, complete);
      }
    } finally {
      sender.shutdownNow();
    }
  }

  /** When the stop began, when the new job ran, and what was sent before each. */
  private record Upgrade(
      Instant stopRequested,
      Instant newJobRunning,
      String savepoint,
      int sentBefore,
      int sentDuring) {
    double downtimeSeconds() {
      return Duration.between(stopRequested, newJobRunning).toMillis() / 1000.0;
    }
  }

  private Upgrade upgrade(ChaosRig rig, Configuration before, Path dir, ChaosLoad load)
      throws Exception {
    ChaosRig.Health old = rig.health();
    log.accept("  old " + old.line());
    int sentBefore = load.size();
    Instant stop = Instant.now();
    String savepoint = rig.stopWithSavepoint(dir.resolve("savepoints"));
    double stopSeconds = Duration.between(stop, Instant.now()).toMillis() / 1000.0;
    log.accept(
        String.format(
            Locale.ROOT,
            "  stopped with a savepoint after %d requests sent, in %.1f s: %s",
            sentBefore,
            stopSeconds,
            savepoint));
    rig.startJobFromSavepoint(upgraded(before), savepoint);
    Instant running = Instant.now();
    Upgrade upgrade = new Upgrade(stop, running, savepoint, sentBefore, load.size() - sentBefore);
    log.accept(
        String.format(
            Locale.ROOT,
            "  the changed job (policy %s, invoker capacity %d) runs from it: down %.1f s, %d"
                + " requests sent meanwhile",
            SmallestPolicy.NAME,
            upgraded(before).get(SurgeOptions.INVOKER_CAPACITY),
            upgrade.downtimeSeconds(),
            upgrade.sentDuring()));
    return upgrade;
  }

  private ChaosOutcome check(
      ChaosRig rig, ChaosTally tally, ChaosLoad load, Upgrade upgrade, boolean complete)
      throws Exception {
    ChaosRig.Health health = rig.health();
    ChaosLoad.Counts counts = load.count(tally);
    String least = leastAccurateVariant(rig.catalog());
    // decided after the new job ran: by its policy, so the smallest variant or shed
    Map<String, Long> newJobVariants = new TreeMap<>();
    Map<String, Long> oldJobVariants = new TreeMap<>();
    long crossed = 0;
    for (List<InferenceResult> results : tally.allResults().values()) {
      for (InferenceResult r : results) {
        boolean byNewJob = !r.getDecidedAt().isBefore(upgrade.newJobRunning());
        String variant = r.getVariant() == null ? "(shed)" : r.getVariant();
        (byNewJob ? newJobVariants : oldJobVariants).merge(variant, 1L, Long::sum);
        crossed += byNewJob && r.getCreatedAt().isBefore(upgrade.stopRequested()) ? 1 : 0;
      }
    }
    long notByChangedPolicy =
        newJobVariants.entrySet().stream()
            .filter(e -> !e.getKey().equals(least) && !e.getKey().equals("(shed)"))
            .mapToLong(Map.Entry::getValue)
            .sum();
    long newJobDecisions = newJobVariants.values().stream().mapToLong(Long::longValue).sum();
    log.accept("  results per status: " + tally.byStatus() + "; latency " + tally.latencies());
    log.accept("  an error per status: " + tally.sampleErrors());
    Map<String, Long> oldJobFailed = failedBy(tally, upgrade, false);
    Map<String, Long> newJobFailed = failedBy(tally, upgrade, true);
    long failed = total(oldJobFailed) + total(newJobFailed);
    log.accept("  FAILED decided by the old job, by error: " + oldJobFailed);
    log.accept("  FAILED decided by the changed job, by error: " + newJobFailed);
    tally.allResults().values().stream()
        .flatMap(List::stream)
        .filter(r -> r.getStatus().equals("FAILED"))
        .map(InferenceResult::getCompletedAt)
        .min(Comparator.naturalOrder())
        .ifPresent(
            first ->
                log.accept(
                    String.format(
                        Locale.ROOT,
                        "  first FAILED %.1f s after the changed job ran",
                        Duration.between(upgrade.newJobRunning(), first).toMillis() / 1000.0)));
    log.accept("  variants decided by the old job: " + oldJobVariants);
    log.accept("  variants decided by the changed job: " + newJobVariants);
    log.accept("  new " + health.line());
    boolean passed =
        complete
            && counts.exact()
            && tally.deadLetterRecords() == 0
            && tally.undecodable() == 0
            && newJobDecisions > 0
            && notByChangedPolicy == 0
            && health.healthy();
    String figures =
        String.format(
            Locale.ROOT,
            "%s; dead letters %d; upgrade after %d sent, down %.1f s (%d sent meanwhile),"
                + " %d requests created before the stop decided by the changed job; changed job"
                + " decided %d, not by its policy %d; FAILED %d (servers healthy throughout); %s",
            counts.line(),
            tally.deadLetterRecords(),
            upgrade.sentBefore(),
            upgrade.downtimeSeconds(),
            upgrade.sentDuring(),
            crossed,
            newJobDecisions,
            notByChangedPolicy,
            failed,
            health.figures());
    return new ChaosOutcome(Scenario.SAVEPOINT_UPGRADE.cliName(), passed, figures);
  }

  private static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** FAILED results of one job, by error class, the earliest first (what failed first). */
  private static Map<String, Long> failedBy(ChaosTally tally, Upgrade upgrade, boolean newJob) {
    Map<String, Long> byError = new java.util.LinkedHashMap<>();
    tally.allResults().values().stream()
        .flatMap(List::stream)
        .filter(r -> r.getStatus().equals("FAILED"))
        .filter(r -> !r.getDecidedAt().isBefore(upgrade.newJobRunning()) == newJob)
        .sorted(Comparator.comparing(InferenceResult::getCompletedAt))
        .forEach(r -> byError.merge(ServerFaults.errorClass(r.getError()), 1L, Long::sum));
    return byError;
  }

  /** The variant {@code smallest} chooses when every variant is allowed. */
  static String leastAccurateVariant(Catalog catalog) {
    return catalog.services().get(0).variants().stream()
        .min(Comparator.comparingDouble(Catalog.Variant::accuracy))
        .orElseThrow()
        .name();
  }
}
