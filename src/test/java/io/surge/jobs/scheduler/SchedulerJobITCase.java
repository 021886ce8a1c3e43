package io.surge.jobs.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.cli.load.LoadCounts;
import io.surge.cli.results.ResultsCollector;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduling job end to end on real parts: a KRaft broker, a Flink MiniCluster, two embedded
 * inference servers on a generated ladder. Every valid request ends in exactly one result (read
 * committed), every invalid one in exactly one dead letter.
 */
class SchedulerJobITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @Test
  void everyRequestEndsInExactlyOneResultOrDeadLetter(
      @TempDir Path dir, @InjectMiniCluster MiniCluster flink) throws Exception {
    try (EndToEnd parts = new EndToEnd(dir, "e2e.")) {
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(
              SchedulerJob.jobConfiguration(parts.config("e2e")));
      env.setParallelism(2);
      SchedulerJob.defineWorkflow(
          env, new KafkaSchedulerJobIo(parts.config("e2e")), parts.settings());
      JobClient job = env.executeAsync("surge-e2e");
      // requests created before the job runs would be shed for lack of slack, rightly
      Jobs.awaitAllTasksRunning(flink, job.getJobID(), Duration.ofSeconds(60));

      LoadCounts sent = parts.send(150, 7, 400, 0.1);
      assertThat(sent.failed()).isZero();
      assertThat(sent.invalid()).isPositive();

      try (ResultsCollector out = parts.collector()) {
        assertThat(out.awaitCounts(sent.valid(), sent.invalid(), Duration.ofSeconds(120)))
            .as(
                "results %s of %s, dead letters %s of %s",
                out.results(), sent.valid(), out.deadLetters(), sent.invalid())
            .isTrue();
        // a few more checkpoints: nothing may arrive twice or extra
        Thread.sleep(2_000);
        assertThat(out.results()).isEqualTo(sent.valid());
        assertThat(out.duplicates()).isZero();
        assertThat(out.deadLetters()).isEqualTo(sent.invalid());
        assertThat(out.undecodable()).isZero();
        System.out.printf(
            "e2e: %d results (OK %d, LATE %d, FAILED %d, SHED %d), %d dead letters; %s%n",
            out.results(),
            out.results("OK"),
            out.results("LATE"),
            out.results("FAILED"),
            out.results("SHED"),
            out.deadLetters(),
            out.lastError());
        assertThat(out.results("OK"))
            .as(
                "OK results; LATE %s FAILED %s SHED %s, e.g. %s",
                out.results("LATE"), out.results("FAILED"), out.results("SHED"), out.lastError())
            .isPositive();
      } finally {
        job.cancel().get();
      }
    }
  }
}
