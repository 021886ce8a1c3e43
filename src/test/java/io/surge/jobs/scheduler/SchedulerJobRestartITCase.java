package io.surge.jobs.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.cli.load.LoadCounts;
import io.surge.cli.results.ResultsCollector;
import io.surge.operators.kafka.RawRecord;
import io.surge.schema.Completion;
import io.surge.schema.DeadLetter;
import io.surge.schema.InferenceResult;
import io.surge.schema.Transition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job fails once after a completed checkpoint and restarts from it: the end-to-end count still
 * holds, with no request id twice in the committed results.
 */
class SchedulerJobRestartITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @Test
  void countsHoldAcrossAFailureAndRestore(@TempDir Path dir, @InjectMiniCluster MiniCluster flink)
      throws Exception {
    FailOnceAfterCheckpoint.reset(150);
    try (EndToEnd parts = new EndToEnd(dir, "restart.")) {
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(
              SchedulerJob.jobConfiguration(parts.config("restart")));
      env.setParallelism(2);
      SchedulerJob.defineWorkflow(
          env,
          new FailingResults(new KafkaSchedulerJobIo(parts.config("restart"))),
          parts.settings());
      JobClient job = env.executeAsync("surge-restart");
      Jobs.awaitAllTasksRunning(flink, job.getJobID(), Duration.ofSeconds(60));

      LoadCounts sent = parts.send(100, 11, 400, 0.05);

      try (ResultsCollector out = parts.collector()) {
        assertThat(out.awaitCounts(sent.valid(), sent.invalid(), Duration.ofSeconds(180)))
            .as(
                "results %s of %s, dead letters %s of %s",
                out.results(), sent.valid(), out.deadLetters(), sent.invalid())
            .isTrue();
        assertThat(FailOnceAfterCheckpoint.FAILED.get()).as("the job failed once").isTrue();
        Thread.sleep(2_000); // a few more checkpoints: nothing may arrive twice or extra
        assertThat(out.results()).isEqualTo(sent.valid());
        assertThat(out.duplicates()).isZero();
        assertThat(out.deadLetters()).isEqualTo(sent.invalid());
        assertTransactionalIdsAreReused(flink, job, parts);
      } finally {
        job.cancel().get();
      }
    }
  }

  /**
   * The exactly-once sinks reuse their transactional ids (POOLING) across checkpoints and the
   * restore: the broker keeps each id's metadata for 7 days, and the connector's default naming (a
   * new id per checkpoint and subtask, 4 here per checkpoint) made the soak's heap grow (issue 12).
   */
  private static void assertTransactionalIdsAreReused(
      MiniCluster flink, JobClient job, EndToEnd parts) throws Exception {
    long checkpoints = 0;
    long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (checkpoints < 24 && System.nanoTime() < giveUp) {
      Thread.sleep(200);
      checkpoints =
          flink
              .getExecutionGraph(job.getJobID())
              .get()
              .getCheckpointStatsSnapshot()
              .getCounts()
              .getNumberOfCompletedCheckpoints();
    }
    assertThat(checkpoints).as("completed checkpoints").isGreaterThanOrEqualTo(24);
    Set<String> ids;
    try (Admin admin = Admin.create(parts.kafka.adminProperties())) {
      ids =
          admin.listTransactions().all().get().stream()
              .map(TransactionListing::transactionalId)
              .filter(id -> id.startsWith("restart-"))
              .collect(Collectors.toCollection(TreeSet::new));
    }
    assertThat(ids).as("transactional ids after %d checkpoints", checkpoints).isNotEmpty();
    assertThat(ids.size())
        .as("transactional ids after %d checkpoints: %s", checkpoints, ids)
        .isLessThan((int) checkpoints);
  }

  /** The real Kafka IO, with a map that fails once on the way to the results sink. */
  private record FailingResults(SchedulerJobIo delegate) implements SchedulerJobIo {
    @Override
    public DataStream<RawRecord> requests(StreamExecutionEnvironment env) {
      return delegate.requests(env);
    }

    @Override
    public DataStream<RawRecord> completions(StreamExecutionEnvironment env) {
      return delegate.completions(env);
    }

    @Override
    public DataStream<RawRecord> policies(StreamExecutionEnvironment env) {
      return delegate.policies(env);
    }

    @Override
    public void results(DataStream<InferenceResult> results) {
      delegate.results(results.map(new FailOnceAfterCheckpoint()).uid("test-fail-once"));
    }

    @Override
    public void completions(DataStream<Completion> completions) {
      delegate.completions(completions);
    }

    @Override
    public void experience(DataStream<Transition> transitions) {
      delegate.experience(transitions);
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
      delegate.deadLetters(deadLetters);
    }
  }

  /** Throws once, after a checkpoint completed and some results passed. */
  static final class FailOnceAfterCheckpoint
      implements MapFunction<InferenceResult, InferenceResult>, CheckpointListener {
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
    static final AtomicInteger SEEN = new AtomicInteger();
    static volatile int failAfter;

    static void reset(int results) {
      FAILED.set(false);
      CHECKPOINTED.set(false);
      SEEN.set(0);
      failAfter = results;
    }

    @Override
    public InferenceResult map(InferenceResult result) {
      if (SEEN.incrementAndGet() >= failAfter
          && CHECKPOINTED.get()
          && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("armed test failure after a completed checkpoint");
      }
      return result;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      CHECKPOINTED.set(true);
    }
  }
}
