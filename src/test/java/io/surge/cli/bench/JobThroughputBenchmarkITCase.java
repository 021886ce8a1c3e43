package io.surge.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's orchestration at a tiny size: both jobs run on the embedded broker and each
 * delivers exactly one committed result per pre-loaded request. Counts only; speed is what the
 * benchmark itself prints.
 */
class JobThroughputBenchmarkITCase {

  private static final int REQUESTS = 500;

  @Test
  void bothJobsDeliverExactlyOneResultPerRequest(@TempDir Path dir) throws Exception {
    List<String> progress = new ArrayList<>();
    JobBenchOptions options =
        JobBenchOptions.defaults()
            .withRequests(REQUESTS)
            .withCheckpointInterval(Duration.ofMillis(200))
            .withTimeout(Duration.ofMinutes(3));

    JobBenchReport report = new JobThroughputBenchmark(options, dir, progress::add).run();

    assertThat(report.passThrough().results()).isEqualTo(REQUESTS);
    assertThat(report.passThrough().duplicates()).isZero();
    assertThat(report.passThrough().status("OK")).isEqualTo(REQUESTS);
    assertThat(report.full().results()).as("full job, progress %s", progress).isEqualTo(REQUESTS);
    assertThat(report.full().duplicates()).isZero();
    assertThat(report.full().status("SHED")).as("the deadline leaves slack for all").isZero();
    assertThat(report.full().status("OK"))
        .as("served by the zero-compute servers; last error %s", report.full().lastError())
        .isPositive();
    assertThat(report.markdown()).contains("| pass-through | " + REQUESTS + " |");
  }

  @Test
  void batchedCallsAlsoDeliverExactlyOneResultPerRequest(@TempDir Path dir) throws Exception {
    JobBenchOptions options =
        JobBenchOptions.defaults()
            .withRequests(REQUESTS)
            .withBatch(8)
            .withCheckpointInterval(Duration.ofMillis(200))
            .withTimeout(Duration.ofMinutes(3));

    JobBenchReport report = new JobThroughputBenchmark(options, dir, s -> {}).run();

    assertThat(report.full().results()).isEqualTo(REQUESTS);
    assertThat(report.full().duplicates()).isZero();
    assertThat(report.full().status("OK"))
        .as("groups answered by the servers; last error %s", report.full().lastError())
        .isPositive();
  }
}
