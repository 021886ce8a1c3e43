package io.surge.serving.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.serving.ladder.LadderTable;
import io.surge.state.catalog.LatencyProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

class LadderRatiosTest {

  private final LadderTable table = LadderTable.imageClassification();

  @Test
  void ratiosAreRelativeToTheSmallestRungInLadderOrder() {
    LatencyProfile profile =
        profile(
            entry("resnet50-like", 1, 4.4),
            entry("resnet18-like", 1, 2.0),
            entry("resnet18-like", 2, 3.0),
            entry("resnet152-like", 1, 20.0));

    List<LadderRatios.Row> rows = LadderRatios.compare(profile, "edge-0", table);

    assertThat(rows)
        .extracting(LadderRatios.Row::model)
        .containsExactly("resnet18-like", "resnet50-like", "resnet152-like");
    assertThat(rows.get(1).ratio()).isEqualTo(2.2);
    assertThat(rows.get(1).target()).isEqualTo(3.37 / 1.64);
    assertThat(rows.get(1).withinTolerance()).isTrue();
    // 10 vs 5.23: far outside ±25 %
    assertThat(rows.get(2).withinTolerance()).isFalse();
    assertThat(LadderRatios.format("round trip", rows)).contains("ok", "OUTSIDE");
  }

  @Test
  void noSmallestRungMeansNothingToCompare() {
    LatencyProfile profile = profile(entry("resnet50-like", 1, 6.0));

    assertThat(LadderRatios.compare(profile, "edge-0", table)).isEmpty();
  }

  @Test
  void otherServersAreIgnored() {
    LatencyProfile profile = profile(entry("resnet18-like", 1, 2.0));

    assertThat(LadderRatios.compare(profile, "edge-1", table)).isEmpty();
  }

  @Test
  void serverComputeTimesCompareTheSameWay() {
    List<Profiler.ServerCompute> compute =
        List.of(
            new Profiler.ServerCompute("resnet18-like", 1, 2.5, 10),
            new Profiler.ServerCompute("resnet34-like", 1, 4.25, 10),
            new Profiler.ServerCompute("resnet34-like", 2, 5.0, 10));

    List<LadderRatios.Row> rows = LadderRatios.compare(compute, table);

    assertThat(rows).hasSize(2);
    assertThat(rows.get(1).ratio()).isEqualTo(1.7);
  }

  private static LatencyProfile.Entry entry(String model, int batch, double medianMs) {
    return new LatencyProfile.Entry("edge-0", model, batch, medianMs, medianMs * 1.2, 10);
  }

  private static LatencyProfile profile(LatencyProfile.Entry... entries) {
    return new LatencyProfile("now", "test", List.of(entries));
  }
}
