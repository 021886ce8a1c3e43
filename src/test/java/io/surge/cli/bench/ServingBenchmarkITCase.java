package io.surge.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.serving.ladder.LadderOptions;
import io.surge.serving.ladder.ModelLadder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serving benchmark end to end on a tiny ladder: it measures everything it reports. */
class ServingBenchmarkITCase {

  @Test
  void measuresTheSweepBatchingOnAndOffDirectRunsAndCurves(@TempDir Path dir) {
    LadderOptions options = LadderOptions.defaults().withScale(0.05);
    options = options.withBatching(options.batching().withQueueTimeoutMicros(30_000_000L));
    Path repository = ModelLadder.generate(dir, options).repository();
    ServingBenchmark.Settings settings =
        new ServingBenchmark.Settings(
            "resnet34-like",
            Duration.ofMillis(100),
            Duration.ofMillis(300),
            List.of(1, 4),
            List.of(1, 2),
            1,
            Duration.ofSeconds(30));
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    ServingBenchmark.Result result =
        ServingBenchmark.run(repository, settings, new PrintStream(log, true));

    assertThat(result.sweep()).extracting(LoadPoint::clients).containsExactly(1, 4);
    assertThat(result.sweep())
        .allSatisfy(
            p -> {
              assertThat(p.failures()).isZero();
              assertThat(p.throughput()).isPositive();
              assertThat(p.p95Ms()).isGreaterThanOrEqualTo(p.medianMs());
            });
    // one client has one request in flight: the server can only form batches of 1
    assertThat(result.sweep().get(0).batches().batchSizes()).containsExactly(1);
    // without dynamic batching every execution is one request
    assertThat(result.batchingOff().batches().batchSizes()).containsExactly(1);
    assertThat(result.direct().latencies().keySet())
        .containsExactlyInAnyOrderElementsOf(result.best().batches().executionsByBatch().keySet());
    assertThat(result.direct().directThroughput()).isPositive();
    assertThat(result.curves().keySet())
        .containsExactly(
            "resnet18-like", "resnet34-like", "resnet50-like", "resnet101-like", "resnet152-like");
    assertThat(result.curves().values()).allSatisfy(curve -> assertThat(curve).hasSize(2));
    String markdown = ServingBenchmarkReport.markdown(result);
    assertThat(markdown)
        .contains("| resnet34-like | figure | goal | met |", "| 4 |", "batching off");
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("closed-loop sweep of resnet34-like");
  }
}
