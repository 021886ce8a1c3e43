package io.surge.jobs.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.cli.load.LoadCounts;
import io.surge.cli.results.ResultsCollector;
import io.surge.serving.engine.ModelStatistics;
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
 * The scheduling job against two emulated accelerators (the same KServe v2 servers, batching and
 * queues, no compute): one slowed down, the other answering 500 for its first seconds. Every valid
 * request still ends in exactly one result, every invalid one in exactly one dead letter.
 */
class EmulatedServersITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @Test
  void everyRequestEndsInExactlyOneResultAgainstEmulatedServers(
      @TempDir Path dir, @InjectMiniCluster MiniCluster flink) throws Exception {
    String disturbances =
        System.getProperty(
            "emu.disturb",
            "slowdown:server=edge-0,factor=2,at=0,for=3600;errors:server=1,at=0,for=4");
    try (EndToEnd parts = new EndToEnd(dir, "emu.", disturbances)) {
      assertThat(parts.edge.devices().emulated()).isTrue();
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(
              SchedulerJob.jobConfiguration(parts.config("emu")));
      env.setParallelism(2);
      SchedulerJob.defineWorkflow(
          env, new KafkaSchedulerJobIo(parts.config("emu")), parts.settings());
      JobClient job = env.executeAsync("surge-emulated");
      Jobs.awaitAllTasksRunning(flink, job.getJobID(), Duration.ofSeconds(60));

      LoadCounts sent = parts.send(150, 11, 400, 0.1);
      assertThat(sent.failed()).isZero();

      try (ResultsCollector out = parts.collector()) {
        assertThat(out.awaitCounts(sent.valid(), sent.invalid(), Duration.ofSeconds(120)))
            .as(
                "results %s of %s, dead letters %s of %s",
                out.results(), sent.valid(), out.deadLetters(), sent.invalid())
            .isTrue();
        Thread.sleep(2_000);
        assertThat(out.results()).isEqualTo(sent.valid());
        assertThat(out.duplicates()).isZero();
        assertThat(out.deadLetters()).isEqualTo(sent.invalid());
        assertThat(out.undecodable()).isZero();
        System.out.printf(
            "emulated e2e: %d results (OK %d, LATE %d, FAILED %d, SHED %d), %d dead letters; %s%n",
            out.results(),
            out.results("OK"),
            out.results("LATE"),
            out.results("FAILED"),
            out.results("SHED"),
            out.deadLetters(),
            out.lastError());
        assertThat(out.results("OK")).isPositive();
      } finally {
        job.cancel().get();
      }
      long executions = 0;
      for (var model : parts.catalog().services().get(0).variants()) {
        ModelStatistics stats = parts.edge.executor(0).statistics(model.model());
        executions += stats.executionCount();
      }
      assertThat(executions).as("the slowed server served requests").isPositive();
    }
  }
}
