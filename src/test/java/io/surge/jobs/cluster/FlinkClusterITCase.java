package io.surge.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.cli.cluster.Await;
import io.surge.cli.cluster.FlinkProcess;
import io.surge.cli.cluster.LocalFlinkCluster;
import io.surge.cli.cluster.SurgeHome;
import io.surge.cli.load.LoadCounts;
import io.surge.cli.load.LoadGenerator;
import io.surge.cli.load.LoadOptions;
import io.surge.cli.results.ResultsCollector;
import io.surge.jobs.scheduler.EndToEnd;
import io.surge.jobs.scheduler.SchedulerJob;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.EstimatorSettings;
import io.surge.state.ObservationSpec;
import io.surge.state.ServiceTopology;
import io.surge.train.export.PolicyModelWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduling job on a real multi-process Flink cluster, submitted as a user would ({@code flink
 * run -d -c ...SchedulerJob surge-...-job.jar --config scheduler.yaml}), so user code comes only
 * from the shaded job jar. A TaskManager is SIGKILLed after a completed checkpoint while requests
 * are still arriving, and a new one takes over: the job restores from the checkpoint and every
 * request of both phases still ends in exactly one committed result or dead letter.
 *
 * <p>The initial policy is an ONNX file, so the TaskManagers run ONNX Runtime from the job jar, and
 * the policy must survive the kill in restored state (its source publishes it only once).
 */
class FlinkClusterITCase {

  private static final String PREFIX = "cluster.";
  private static final Duration JOB_START = Duration.ofSeconds(90);

  /** surge.observation.history: the policy's observation spec depends on it. */
  private static final int HISTORY = 4;

  private static final long POLICY_VERSION = 1;

  private static final Duration RESULTS = Duration.ofSeconds(90);

  @Test
  void jobSubmittedWithFlinkRunSurvivesATaskManagerKill(@TempDir Path dir) throws Exception {
    Path jobJar = SurgeHome.jobJar();
    try (EndToEnd world = new EndToEnd(dir.resolve("world"), PREFIX);
        LocalFlinkCluster flink = LocalFlinkCluster.start(dir.resolve("flink"), Map.of())) {
      try {
        run(dir, jobJar, world, flink);
      } catch (Throwable t) {
        System.err.println(flink.logTails());
        throw t;
      }
    }
  }

  private void run(Path dir, Path jobJar, EndToEnd world, LocalFlinkCluster flink)
      throws Exception {
    Path userDir = Files.createDirectories(dir.resolve("user"));
    writeJobFiles(userDir, world);
    checkConfigurationErrorIsOneLine(flink, userDir, jobJar);
    long submitted = System.nanoTime();
    String jobId = submit(flink, userDir, jobJar);
    log("job %s running %.1f s after `flink run`", jobId, seconds(submitted));

    try (ResultsCollector out =
        new ResultsCollector(
            world.kafka.bootstrapServers(),
            world.topics.results(),
            world.topics.deadLetters(),
            world.service())) {
      CompletableFuture<LoadCounts> phase1 =
          CompletableFuture.supplyAsync(() -> load(world, "phase1", 300, 60, 1));
      Kill kill = killTaskManagerAfterCheckpoint(flink, jobId, out, phase1);
      flink.startTaskManager();
      long restored = awaitRestored(flink, jobId);
      log(
          "job running again %.1f s after the kill, restored checkpoint %d",
          seconds(kill.nanoTime()), restored);
      assertThat(restored).as("restored checkpoint").isGreaterThanOrEqualTo(kill.checkpoint());

      LoadCounts first = phase1.get();
      LoadCounts second = load(world, "phase2", 200, 100, 2);
      assertThat(first.failed() + second.failed()).as("sends the broker refused").isZero();
      assertExactlyOnce(
          flink, jobId, out, first.valid() + second.valid(), first.invalid() + second.invalid());
      assertThat(flink.rest().allTasksRunning(jobId)).as("job RUNNING after the kill").isTrue();
      // the initial policy is published once; after the kill only restored state can hold it
      assertThat(out.resultsOfPolicy(POLICY_VERSION))
          .as("results decided by the learned policy, %d before the kill", kill.learnedResults())
          .isGreaterThan(kill.learnedResults());
      logSummary(out, submitted);
    }
  }

  /** {@code flink run -d ...} as a user types it; returns once every task runs. */
  /** A catalog that cannot be read at submit time: one line from `flink run`, no stack trace. */
  private static void checkConfigurationErrorIsOneLine(
      LocalFlinkCluster flink, Path userDir, Path jobJar) throws InterruptedException {
    Path missing = userDir.resolve("no-such-catalog.yaml");
    LocalFlinkCluster.FailedRun run =
        flink.runFailing(
            userDir,
            jobJar,
            SchedulerJob.class.getName(),
            "--config",
            "scheduler.yaml",
            "--surge.catalog",
            missing.toString());
    log("flink run with a missing catalog: exit %d, printed:%n%s", run.exit(), run.output());
    assertThat(run.output())
        .contains(
            "surge-scheduler: configuration error: cannot read catalog " + missing,
            "--surge.catalog")
        .doesNotContain("\tat ", "Exception");
  }

  private static String submit(LocalFlinkCluster flink, Path userDir, Path jobJar)
      throws InterruptedException {
    String jobId =
        flink.runDetached(
            userDir, jobJar, SchedulerJob.class.getName(), "--config", "scheduler.yaml");
    assertThat(flink.rest().jobOverview(jobId))
        .as("job %s listed by the cluster", jobId)
        .hasValueSatisfying(j -> assertThat(j.path("name").asText()).isEqualTo("surge-scheduler"));
    // requests created before the job runs would be shed for lack of slack, rightly
    flink.awaitAllTasksRunning(jobId, JOB_START);
    return jobId;
  }

  /** When and after what the TaskManager was killed. */
  private record Kill(long checkpoint, long learnedResults, long nanoTime) {}

  /**
   * SIGKILLs the first TaskManager once results are committed (read_committed: a checkpoint
   * completed after they were processed), usually while the load is still arriving.
   */
  private static Kill killTaskManagerAfterCheckpoint(
      LocalFlinkCluster flink,
      String jobId,
      ResultsCollector out,
      CompletableFuture<LoadCounts> load)
      throws InterruptedException {
    long checkpoint =
        Await.until(
            "first committed results and a completed checkpoint",
            RESULTS,
            () ->
                out.results() > 0
                    ? present(flink.rest().latestCompletedCheckpoint(jobId))
                    : Optional.empty());
    FlinkProcess taskManager = flink.taskManagers().get(0);
    boolean loadRunning = !load.isDone();
    Kill kill = new Kill(checkpoint, out.resultsOfPolicy(POLICY_VERSION), System.nanoTime());
    taskManager.kill();
    assertThat(taskManager.isAlive()).as("TaskManager killed").isFalse();
    log(
        "SIGKILLed %s after checkpoint %d with %d results in (load %s)",
        taskManager.name(), checkpoint, out.results(), loadRunning ? "still running" : "done");
    return kill;
  }

  /** Waits until the job restored a checkpoint and runs again; returns the checkpoint id. */
  private static long awaitRestored(LocalFlinkCluster flink, String jobId)
      throws InterruptedException {
    long restored =
        Await.until(
            "the job to restore from a checkpoint",
            JOB_START,
            () -> present(flink.rest().latestRestoredCheckpoint(jobId)));
    flink.awaitAllTasksRunning(jobId, JOB_START);
    return restored;
  }

  /** Every request ends in exactly one committed result or dead letter. */
  private static void assertExactlyOnce(
      LocalFlinkCluster flink, String jobId, ResultsCollector out, long valid, long invalid)
      throws InterruptedException {
    assertThat(invalid).as("invalid requests sent").isPositive();
    assertThat(out.awaitCounts(valid, invalid, RESULTS))
        .as(
            "results %s of %s, dead letters %s of %s",
            out.results(), valid, out.deadLetters(), invalid)
        .isTrue();
    // two more checkpoints commit anything a replay could have produced twice or extra
    long done = flink.rest().completedCheckpoints(jobId);
    Await.until(
        "two more checkpoints",
        RESULTS,
        () -> flink.rest().completedCheckpoints(jobId) >= done + 2);
    assertThat(out.results()).as("results (distinct request ids)").isEqualTo(valid);
    assertThat(out.duplicates()).as("request ids with more than one result").isZero();
    assertThat(out.deadLetters()).as("dead letters").isEqualTo(invalid);
    assertThat(out.undecodable()).isZero();
    assertThat(out.results("OK")).as("requests served in time").isPositive();
  }

  private static void logSummary(ResultsCollector out, long submitted) {
    log(
        "cluster e2e: %d results (OK %d, LATE %d, FAILED %d, SHED %d; learned policy %d,"
            + " fallback %d), %d dead letters, %.1f s from `flink run`; last error: %s",
        out.results(),
        out.results("OK"),
        out.results("LATE"),
        out.results("FAILED"),
        out.results("SHED"),
        out.resultsOfPolicy(POLICY_VERSION),
        out.resultsOfPolicy(0),
        out.deadLetters(),
        seconds(submitted),
        out.lastError());
  }

  private static Optional<Long> present(OptionalLong value) {
    return value.isPresent() ? Optional.of(value.getAsLong()) : Optional.empty();
  }

  /** A paced load; ids are {@code runId-sequence}, so the two phases never share one. */
  private static LoadCounts load(EndToEnd world, String runId, int requests, int rate, long seed) {
    return LoadGenerator.run(
        world.kafka.bootstrapServers(),
        new Properties(),
        world.catalog(),
        WorkloadSpec.parse("poisson:rate=" + rate).newProcess(seed),
        LoadOptions.to(world.topics.requests())
            .withRunId(runId)
            .withMaxRequests(requests)
            .withInvalidFraction(0.05)
            // generous: this test checks counts, not timing, on a busy machine
            .withDeadlineMs(8_000)
            .withProgress(Duration.ofSeconds(30), s -> {}));
  }

  /**
   * The catalog, a rough profile, a policy file and scheduler.yaml, as a user keeps them next to
   * the job.
   */
  private static void writeJobFiles(Path userDir, EndToEnd world) throws IOException {
    Path catalog = userDir.resolve("catalog.yaml");
    Path profile = userDir.resolve("profile.json");
    world.catalog().write(catalog);
    EndToEnd.roughProfile(world.catalog()).write(profile);
    Path policy = userDir.resolve("policy.onnx");
    writeUniformPolicy(policy, world);
    String yaml =
        String.join(
            "\n",
            "surge:",
            "  kafka:",
            "    bootstrap-servers: " + world.kafka.bootstrapServers(),
            "    group-id: surge-cluster-it",
            "    transactional-id-prefix: surge-cluster-it",
            "    transaction-timeout: 5 min",
            "  topics:",
            "    prefix: \"" + PREFIX + "\"",
            "  catalog: \"" + catalog + "\"",
            "  profile: \"" + profile + "\"",
            "  policy:",
            "    initial: \"" + policy + "\"",
            "  checkpoint:",
            "    interval: 1 s",
            "  observation:",
            "    history: " + HISTORY,
            "  invoker:",
            "    capacity: 64",
            "");
    Files.writeString(userDir.resolve("scheduler.yaml"), yaml);
  }

  /**
   * A learned-policy file as the initial policy, so the TaskManagers load ONNX Runtime from the job
   * jar and run it per decision: zero weights, so every unmasked variant is equally likely, and a
   * low logit for shedding, so requests are served rather than shed.
   */
  private static void writeUniformPolicy(Path file, EndToEnd world) {
    ServiceTopology topology = ServiceTopology.of(world.catalog(), world.service().name());
    ObservationSpec spec =
        ObservationSpec.of(topology, EstimatorSettings.defaults().withHistoryLength(HISTORY));
    float[] bias = new float[spec.actionCount()];
    bias[topology.shedAction()] = -10f;
    PolicyModelWriter.forSpec(spec, topology.actionNames())
        .output(new float[spec.dimension() * spec.actionCount()], bias)
        .version(POLICY_VERSION)
        .trainedOn("uniform")
        .writeTo(file);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void log(String format, Object... args) {
    System.out.printf("[cluster-it] " + format + "%n", args);
  }
}
