package io.surge.serving.ladder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surge.state.metrics.Percentiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's mechanics (sample counts, order, statistics); no assertion on speed. */
class DirectOrtBenchmarkTest {

  private static final DirectOrtBenchmark.Settings QUICK =
      new DirectOrtBenchmark.Settings(2, 5, 8, 0, 1);

  @TempDir static Path dir;
  private static GeneratedLadder ladder;

  @BeforeAll
  static void generate() {
    ladder = ModelLadder.generate(dir, LadderOptions.defaults().withScale(0.02));
  }

  @Test
  void measuresEveryBatchSizeInArgumentOrder() {
    List<DirectOrtBenchmark.BatchLatency> curve =
        DirectOrtBenchmark.measure(ladder.models().get(0).modelFile(), QUICK, 4, 1, 16);
    assertThat(curve).extracting(DirectOrtBenchmark.BatchLatency::batch).containsExactly(4, 1, 16);
    for (DirectOrtBenchmark.BatchLatency b : curve) {
      assertThat(b.samples()).isEqualTo(5);
      assertThat(b.minMs()).isPositive().isLessThanOrEqualTo(b.medianMs());
      assertThat(b.cpuMedianMs()).isPositive();
      assertThat(b.medianMs()).isLessThanOrEqualTo(b.p95Ms());
      assertThat(b.perRequestMs()).isEqualTo(b.medianMs() / b.batch());
    }
  }

  @Test
  void comparesModelsInTheirOrder() {
    List<Path> files = ladder.models().stream().map(GeneratedLadder.Model::modelFile).toList();
    List<DirectOrtBenchmark.BatchLatency> all = DirectOrtBenchmark.compareModels(files, QUICK, 2);
    assertThat(all).hasSize(5).allSatisfy(b -> assertThat(b.batch()).isEqualTo(2));
  }

  @Test
  void stopsAtMaxRuns() {
    DirectOrtBenchmark.Settings capped = new DirectOrtBenchmark.Settings(0, 1, 3, 60_000, 1);
    assertThat(DirectOrtBenchmark.measure(ladder.models().get(0).modelFile(), capped, 1))
        .singleElement()
        .satisfies(b -> assertThat(b.samples()).isEqualTo(3));
  }

  @Test
  void percentileIsNearestRank() {
    double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertThat(Percentiles.sorted(sorted, 0.5)).isEqualTo(5);
    assertThat(Percentiles.sorted(sorted, 0.95)).isEqualTo(10);
    assertThat(Percentiles.sorted(sorted, 0.1)).isEqualTo(1);
  }

  @Test
  void reportsUnreadableModelsAndBadSettingsClearly() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.onnx"), "not a model");
    assertThatThrownBy(() -> DirectOrtBenchmark.measure(junk, QUICK, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot load");
    assertThatThrownBy(() -> new DirectOrtBenchmark.Settings(0, 5, 2, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> DirectOrtBenchmark.measure(ladder.models().get(0).modelFile(), QUICK, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batch");
  }
}
