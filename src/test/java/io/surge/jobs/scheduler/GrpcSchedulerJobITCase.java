package io.surge.jobs.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.cli.load.LoadCounts;
import io.surge.cli.results.ResultsCollector;
import io.surge.serving.engine.ModelStatistics;
import io.surge.state.catalog.Catalog;
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
 * The scheduling job end to end with one catalog server over KServe v2 gRPC ({@code grpc://}) and
 * the other over HTTP, micro-batched calls on: a KRaft broker, a Flink MiniCluster, two embedded
 * inference servers. Every valid request ends in exactly one result, and the gRPC server did serve
 * some of them.
 */
class GrpcSchedulerJobITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @Test
  void everyRequestEndsInExactlyOneResultWithAGrpcServerInTheCatalog(
      @TempDir Path dir, @InjectMiniCluster MiniCluster flink) throws Exception {
    try (EndToEnd parts = new EndToEnd(dir, "grpc.", null, 1)) {
      Catalog.Server grpcServer = parts.catalog().servers().get(1);
      assertThat(grpcServer.url()).startsWith("grpc://127.0.0.1:");
      assertThat(parts.catalog().servers().get(0).url()).startsWith("http://");

      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(
              SchedulerJob.jobConfiguration(parts.config("grpc")));
      env.setParallelism(2);
      SchedulerJob.defineWorkflow(
          env,
          new KafkaSchedulerJobIo(parts.config("grpc")),
          parts.settings(Duration.ofSeconds(60)));
      JobClient job = env.executeAsync("surge-e2e-grpc");
      Jobs.awaitAllTasksRunning(flink, job.getJobID(), Duration.ofSeconds(60));

      // a deadline long enough that a slow start on a busy machine sheds nothing (the job accepts
      // it: max deadline 60 s above): the test is about the gRPC path carrying the calls
      LoadCounts sent = parts.send(150, 11, 400, 0.0, 30_000);
      assertThat(sent.failed()).isZero();

      try (ResultsCollector out = parts.collector()) {
        assertThat(out.awaitCounts(sent.valid(), 0, Duration.ofSeconds(120)))
            .as(
                "results %s of %s, dead letters %s (%s)",
                out.results(), sent.valid(), out.deadLetters(), out.lastError())
            .isTrue();
        // a few more checkpoints: nothing may arrive twice or extra
        Thread.sleep(2_000);
        assertThat(out.results()).isEqualTo(sent.valid());
        assertThat(out.duplicates()).isZero();
        assertThat(out.undecodable()).isZero();
        assertThat(out.deadLetters()).isZero();
        long overGrpc =
            parts.edge.executor(1).models().stream()
                .map(m -> parts.edge.executor(1).statistics(m.name()))
                .mapToLong(ModelStatistics::inferenceCount)
                .sum();
        System.out.printf(
            "e2e over gRPC: %d results (OK %d, LATE %d, FAILED %d, SHED %d), %d inferences on"
                + " the gRPC server; %s%n",
            out.results(),
            out.results("OK"),
            out.results("LATE"),
            out.results("FAILED"),
            out.results("SHED"),
            overGrpc,
            out.lastError());
        assertThat(out.results("OK"))
            .as("OK results; FAILED %s, e.g. %s", out.results("FAILED"), out.lastError())
            .isPositive();
        assertThat(overGrpc).as("inferences the gRPC server ran").isPositive();
      } finally {
        job.cancel().get();
      }
    }
  }
}
