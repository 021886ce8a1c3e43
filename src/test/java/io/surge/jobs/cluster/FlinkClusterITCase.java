package io.surge.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.jobs.demo.ResultsCollector;
import io.surge.jobs.load.LoadCounts;
import io.surge.jobs.load.LoadGenerator;
import io.surge.jobs.load.LoadOptions;
import io.surge.jobs.scheduler.EndToEnd;
import io.surge.jobs.scheduler.SchedulerJob;
import io.surge.policy.PolicyModelWriter;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.EstimatorSettings;
import io.surge.state.ObservationSpec;
import io.surge.state.ServiceTopology;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
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
    Path jobJar = jobJar();
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
    long t0 = System.nanoTime();
    String jobId =
        flink.runDetached(
            userDir, jobJar, SchedulerJob.class.getName(), "--config", "scheduler.yaml");
    assertThat(flink.rest().jobOverview(jobId))
        .as("job %s listed by the cluster", jobId)
        .hasValueSatisfying(j -> assertThat(j.path("name").asText()).isEqualTo("surge-scheduler"));
    // requests created before the job runs would be shed for lack of slack, rightly
    flink.awaitAllTasksRunning(jobId, JOB_START);
    log("job %s running %.1f s after `flink run`", jobId, seconds(t0));

    try (ResultsCollector out =
        new ResultsCollector(
            world.kafka.bootstrapServers(),
            world.topics.results(),
            world.topics.deadLetters(),
            world.service())) {
      CompletableFuture<LoadCounts> phase1 =
          CompletableFuture.supplyAsync(() -> load(world, "phase1", 300, 60, 1));
      // committed (read_committed) results mean a checkpoint completed after they were processed
      long checkpoint =
          Await.until(
              "first committed results and a completed checkpoint",
              RESULTS,
              () ->
                  out.results() > 0
                      ? Optional.of(flink.rest().latestCompletedCheckpoint(jobId))
                          .filter(c -> c.isPresent())
                          .map(c -> c.getAsLong())
                      : Optional.empty());
      FlinkProcess first = flink.taskManagers().get(0);
      boolean loadStillRunning = !phase1.isDone();
      long learnedBeforeKill = out.resultsOfPolicy(POLICY_VERSION);
      long tKill = System.nanoTime();
      first.kill();
      assertThat(first.isAlive()).as("TaskManager killed").isFalse();
      log(
          "SIGKILLed %s after checkpoint %d with %d results in (load %s)",
          first.name(), checkpoint, out.results(), loadStillRunning ? "still running" : "done");
      flink.startTaskManager();

      long restored =
          Await.until(
              "the job to restore from a checkpoint",
              JOB_START,
              () -> {
                java.util.OptionalLong r = flink.rest().latestRestoredCheckpoint(jobId);
                return r.isPresent() ? Optional.of(r.getAsLong()) : Optional.empty();
              });
      flink.awaitAllTasksRunning(jobId, JOB_START);
      log(
          "job running again %.1f s after the kill, restored checkpoint %d",
          seconds(tKill), restored);
      assertThat(restored).as("restored checkpoint").isGreaterThanOrEqualTo(checkpoint);

      LoadCounts first1 = phase1.get();
      LoadCounts second = load(world, "phase2", 200, 100, 2);
      long valid = first1.valid() + second.valid();
      long invalid = first1.invalid() + second.invalid();
      assertThat(first1.failed() + second.failed()).as("sends the broker refused").isZero();
      assertThat(invalid).isPositive();

      boolean complete = out.awaitCounts(valid, invalid, RESULTS);
      assertThat(complete)
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
      assertThat(flink.rest().allTasksRunning(jobId)).as("job RUNNING after the kill").isTrue();
      // the initial policy is published once; after the kill only restored state can hold it
      assertThat(out.resultsOfPolicy(POLICY_VERSION))
          .as("results decided by the learned policy, %d before the kill", learnedBeforeKill)
          .isGreaterThan(learnedBeforeKill);
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
          seconds(t0),
          out.lastError());
    }
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

  /** The shaded job jar {@code mvn package} built (failsafe runs after package). */
  private static Path jobJar() throws IOException {
    try (DirectoryStream<Path> jars =
        Files.newDirectoryStream(Path.of("target"), "surge-*-job.jar")) {
      for (Path jar : jars) {
        return jar.toAbsolutePath();
      }
    }
    throw new IllegalStateException("no target/surge-*-job.jar: run `mvn package` first");
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void log(String format, Object... args) {
    System.out.printf("[cluster-it] " + format + "%n", args);
  }
}
