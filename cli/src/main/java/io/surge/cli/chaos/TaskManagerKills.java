package io.surge.cli.chaos;

import io.surge.cli.cluster.FlinkProcess;
import io.surge.cli.cluster.FlinkRest;
import io.surge.cli.cluster.LocalFlinkCluster;
import io.surge.cli.cluster.SurgeHome;
import io.surge.cli.load.LoadCounts;
import io.surge.cli.load.LoadGenerator;
import io.surge.cli.load.LoadOptions;
import io.surge.jobs.scheduler.SchedulerJob;
import io.surge.schema.InferenceResult;
import io.surge.sim.workload.WorkloadSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * R1 of issue 12: the scheduling job on a real multi-process Flink cluster (a JobManager and a
 * TaskManager as separate JVMs from Flink's jars, the job submitted with {@code flink run -d} from
 * the shaded job jar), the TaskManager SIGKILLed several times at seeded random points while
 * requests arrive, at least once while a checkpoint is in progress, and a new TaskManager started
 * after each kill (what a supervisor does). Promises checked, read_committed: every request id
 * exactly one result, none missing, none duplicated, none unexpected; the job RUNNING at the end.
 * Figures: per kill, the time until every task runs again and until the next checkpoint completes
 * (results committed again).
 */
public final class TaskManagerKills {

  /** What to send and how often to kill. */
  public record Options(int requests, int kills, double rate, long seed) {
    public static Options defaults() {
      return new Options(50_000, 5, 400, 12);
    }
  }

  private static final Duration JOB_START = Duration.ofSeconds(120);
  private static final Duration RECOVERY = Duration.ofSeconds(120);
  private static final Duration CHECKPOINT_WAIT = Duration.ofSeconds(30);
  private static final Duration DRAIN = Duration.ofSeconds(300);

  private final Options options;
  private final Consumer<String> log;

  public TaskManagerKills(Options options, Consumer<String> log) {
    if (options.kills() < 1 || options.requests() < 1) {
      throw new IllegalArgumentException("at least one kill and one request");
    }
    this.options = options;
    this.log = log;
  }

  /** One kill: when, during which checkpoint, and how long the job took to come back. */
  record Kill(
      int number,
      String taskManager,
      double atSeconds,
      long resultsBefore,
      Long checkpointInProgress,
      String checkpointOutcome,
      double runningAfterSeconds,
      double committingAfterSeconds) {

    boolean midCheckpoint() {
      return checkpointInProgress != null;
    }
  }

  public ChaosOutcome run(Path dir) throws Exception {
    String tag = "chaos-tm-kills-" + Long.toHexString(System.currentTimeMillis());
    try (ChaosRig rig = new ChaosRig(dir, tag, log);
        LocalFlinkCluster flink =
            LocalFlinkCluster.start(dir.resolve("flink"), clusterSettings())) {
      try {
        return run(dir, tag, rig, flink);
      } catch (Exception | Error e) {
        log.accept(flink.logTails());
        throw e;
      }
    }
  }

  /** REST answers checkpoint statistics fresh, so a checkpoint in progress is seen as one. */
  private static Map<String, String> clusterSettings() {
    return Map.of("rest.cache.checkpoint-statistics.timeout", "10 ms");
  }

  private ChaosOutcome run(Path dir, String tag, ChaosRig rig, LocalFlinkCluster flink)
      throws Exception {
    Path userDir = Files.createDirectories(dir.resolve("user"));
    writeJobFiles(userDir, rig, tag);
    long submit = System.nanoTime();
    String jobId =
        flink.runDetached(
            userDir,
            SurgeHome.jobJar(),
            SchedulerJob.class.getName(),
            "--config",
            "scheduler.yaml");
    flink.awaitAllTasksRunning(jobId, JOB_START);
    log.accept(
        String.format(
            Locale.ROOT,
            "  the scheduling job %s runs on a JobManager and a TaskManager (separate JVMs),"
                + " submitted with `flink run -d` %.1f s ago",
            jobId,
            seconds(submit)));
    String runId = tag;
    try (ChaosTally tally =
        new ChaosTally(
            rig.kafka.bootstrapServers(), rig.topics.results(), rig.topics.deadLetters())) {
      double sendSeconds = options.requests() / options.rate();
      double[] at = killTimes(sendSeconds);
      int midCheckpoint = new SplittableRandom(options.seed() + 1).nextInt(options.kills());
      log.accept(
          String.format(
              Locale.ROOT,
              "  sending %d requests at %.0f/s (about %.0f s); SIGKILL the TaskManager at %s s"
                  + " (kill %d waits for a checkpoint in progress)",
              options.requests(),
              options.rate(),
              sendSeconds,
              Arrays.stream(at)
                  .mapToObj(t -> String.format(Locale.ROOT, "%.0f", t))
                  .collect(Collectors.joining(", ")),
              midCheckpoint + 1));
      long start = System.nanoTime();
      CompletableFuture<LoadCounts> load = CompletableFuture.supplyAsync(() -> send(rig, runId));
      List<Kill> kills = new ArrayList<>();
      for (int k = 0; k < options.kills(); k++) {
        sleepUntil(start, at[k]);
        Kill kill = killAndRecover(flink, jobId, tally, k, k == midCheckpoint, start);
        kills.add(kill);
        log.accept(describe(kill));
      }
      LoadCounts sent = load.get();
      log.accept(
          String.format(
              Locale.ROOT,
              "  sent %d requests in %.1f s (%d refused by the broker); waiting for every result"
                  + " (read_committed)",
              sent.valid(),
              sent.seconds(),
              sent.failed()));
      return check(flink, jobId, tally, runId, sent, kills);
    }
  }

  /** Seeded random points within the sending time, in order. */
  private double[] killTimes(double sendSeconds) {
    SplittableRandom rng = new SplittableRandom(options.seed());
    double[] at = new double[options.kills()];
    for (int i = 0; i < at.length; i++) {
      at[i] = sendSeconds * (0.05 + 0.85 * rng.nextDouble());
    }
    Arrays.sort(at);
    return at;
  }

  private LoadCounts send(ChaosRig rig, String runId) {
    return LoadGenerator.run(
        rig.kafka.bootstrapServers(),
        new Properties(),
        rig.catalog(),
        WorkloadSpec.parse("poisson:rate=" + options.rate()).newProcess(options.seed()),
        LoadOptions.to(rig.topics.requests())
            .withRunId(runId)
            .withMaxRequests(options.requests())
            .withPayload(true)
            // generous: the scenario checks counts, not timing, across restarts
            .withDeadlineMs(ChaosRig.DEADLINE_MS)
            .withSeed(options.seed())
            .withProgress(Duration.ofSeconds(30), line -> log.accept("  load: " + line)));
  }

  /**
   * Kills the running TaskManager (for the mid-checkpoint kill, as soon as a checkpoint is in
   * progress), starts a new one, and measures the way back.
   */
  private Kill killAndRecover(
      LocalFlinkCluster flink,
      String jobId,
      ChaosTally tally,
      int index,
      boolean duringCheckpoint,
      long start)
      throws InterruptedException {
    FlinkRest rest = flink.rest();
    OptionalLong inProgress = OptionalLong.empty();
    if (duringCheckpoint) {
      long deadline = System.nanoTime() + CHECKPOINT_WAIT.toNanos();
      while (inProgress.isEmpty() && System.nanoTime() < deadline) {
        inProgress = rest.checkpointInProgress(jobId);
        if (inProgress.isEmpty()) {
          Thread.sleep(2);
        }
      }
    }
    long completedBefore = rest.completedCheckpoints(jobId);
    long restoredBefore = rest.restoredCheckpoints(jobId);
    List<FlinkProcess> tms = flink.taskManagers();
    FlinkProcess victim = tms.get(tms.size() - 1);
    long resultsBefore = tally.resultRecords();
    long killed = System.nanoTime();
    victim.kill();
    if (victim.isAlive()) {
      throw new IllegalStateException(victim.name() + " survived SIGKILL");
    }
    flink.startTaskManager();
    awaitOrFail(
        "kill " + (index + 1) + ": the job to restore from a checkpoint",
        () -> rest.restoredCheckpoints(jobId) > restoredBefore);
    awaitOrFail(
        "kill " + (index + 1) + ": every task running again", () -> rest.allTasksRunning(jobId));
    double running = seconds(killed);
    awaitOrFail(
        "kill " + (index + 1) + ": a checkpoint completed after the restore",
        () -> rest.completedCheckpoints(jobId) > completedBefore);
    double committing = seconds(killed);
    Long checkpoint = inProgress.isPresent() ? inProgress.getAsLong() : null;
    String outcome =
        checkpoint == null ? null : rest.checkpointStatus(jobId, checkpoint).orElse("unknown");
    return new Kill(
        index + 1,
        victim.name(),
        (killed - start) / 1e9,
        resultsBefore,
        checkpoint,
        outcome,
        running,
        committing);
  }

  private static void awaitOrFail(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + RECOVERY.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "timed out after " + RECOVERY.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private static String describe(Kill k) {
    return String.format(
        Locale.ROOT,
        "  kill %d: SIGKILL %s at %.1f s (%d results committed before)%s; all tasks running %.1f s"
            + " after the kill, a checkpoint completed %.1f s after",
        k.number(),
        k.taskManager(),
        k.atSeconds(),
        k.resultsBefore(),
        k.midCheckpoint()
            ? ", during checkpoint " + k.checkpointInProgress() + " (" + k.checkpointOutcome() + ")"
            : "",
        k.runningAfterSeconds(),
        k.committingAfterSeconds());
  }

  private ChaosOutcome check(
      LocalFlinkCluster flink,
      String jobId,
      ChaosTally tally,
      String runId,
      LoadCounts sent,
      List<Kill> kills)
      throws InterruptedException {
    long expected = sent.valid();
    long waitStart = System.nanoTime();
    boolean complete =
        tally.await(
            () -> tally.distinctResultIds() >= expected,
            () ->
                !flink
                    .rest()
                    .jobOverview(jobId)
                    .map(j -> j.path("state").asText())
                    .orElse("")
                    .equals("RUNNING"),
            DRAIN);
    // two more checkpoints commit anything a replay could still have produced twice or extra
    long done = flink.rest().completedCheckpoints(jobId);
    long deadline = System.nanoTime() + CHECKPOINT_WAIT.toNanos();
    while (flink.rest().completedCheckpoints(jobId) < done + 2 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    log.accept(
        String.format(
            Locale.ROOT,
            "  %s after %.1f s: %d result records; by status %s; %s",
            complete ? "all in" : "gave up",
            seconds(waitStart),
            tally.resultRecords(),
            tally.byStatus(),
            tally.latencies()));
    Map<String, List<InferenceResult>> results = tally.allResults();
    long missing = 0;
    long duplicated = 0;
    for (long i = 0; i < expected; i++) {
      List<InferenceResult> r = results.get(runId + "-" + i);
      if (r == null) {
        missing++;
      } else if (r.size() > 1) {
        duplicated++;
      }
    }
    long unexpected =
        results.keySet().stream().filter(id -> !isExpected(id, runId, expected)).count();
    String state =
        flink.rest().jobOverview(jobId).map(j -> j.path("state").asText()).orElse("unknown");
    long midCheckpoint = kills.stream().filter(Kill::midCheckpoint).count();
    boolean passed =
        complete
            && sent.failed() == 0
            && expected == options.requests()
            && missing == 0
            && duplicated == 0
            && unexpected == 0
            && tally.deadLetterRecords() == 0
            && tally.undecodable() == 0
            && kills.size() == options.kills()
            && midCheckpoint >= 1
            && state.equals("RUNNING");
    String figures =
        String.format(
            Locale.ROOT,
            "requests %d (refused %d): results %d ids, missing %d, duplicated %d, unexpected %d,"
                + " dead letters %d; kills %d (%d mid-checkpoint); back running after %s s,"
                + " committing after %s s; job %s",
            expected,
            sent.failed(),
            results.size(),
            missing,
            duplicated,
            unexpected,
            tally.deadLetterRecords(),
            kills.size(),
            midCheckpoint,
            joined(kills, Kill::runningAfterSeconds),
            joined(kills, Kill::committingAfterSeconds),
            state);
    return new ChaosOutcome(Scenario.TASK_MANAGER_KILLS.cliName(), passed, figures);
  }

  private static boolean isExpected(String id, String runId, long expected) {
    if (!id.startsWith(runId + "-")) {
      return false;
    }
    try {
      long n = Long.parseLong(id.substring(runId.length() + 1));
      return n >= 0 && n < expected;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String joined(List<Kill> kills, java.util.function.ToDoubleFunction<Kill> f) {
    return kills.stream()
        .map(k -> String.format(Locale.ROOT, "%.1f", f.applyAsDouble(k)))
        .collect(Collectors.joining("/"));
  }

  /**
   * The catalog, a rough profile and scheduler.yaml, as a user keeps them next to the job:
   * checkpoints every second, exactly-once output with a transaction timeout above any recovery.
   */
  private static void writeJobFiles(Path userDir, ChaosRig rig, String tag) throws IOException {
    Path catalog = userDir.resolve("catalog.yaml");
    Path profile = userDir.resolve("profile.json");
    rig.catalog().write(catalog);
    ChaosRig.roughProfile(rig.catalog()).write(profile);
    String yaml =
        String.join(
            "\n",
            "surge:",
            "  kafka:",
            "    bootstrap-servers: " + rig.kafka.bootstrapServers(),
            "    group-id: " + tag,
            "    transactional-id-prefix: " + tag,
            "    transaction-timeout: 5 min",
            "  topics:",
            "    prefix: \"" + rig.topics.prefix() + "\"",
            "  catalog: \"" + catalog + "\"",
            "  profile: \"" + profile + "\"",
            "  policy:",
            "    initial: greedy-slo",
            "  checkpoint:",
            "    interval: 1 s",
            "  invoker:",
            "    capacity: 64",
            "");
    Files.writeString(userDir.resolve("scheduler.yaml"), yaml);
  }

  private static void sleepUntil(long start, double atSeconds) throws InterruptedException {
    long wait = start + (long) (atSeconds * 1e9) - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000);
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
