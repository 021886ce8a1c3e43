package io.surge.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surge.schema.ResultStatus;
import io.surge.state.metrics.Scoreboard;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreboardTest {

  @Test
  void effectiveAccuracyCountsLateFailedAndShedAsZero() {
    Scoreboard board = new Scoreboard(List.of("small", "large"));
    board.record(ResultStatus.OK, 1, 78.0, 40, 1_000);
    board.record(ResultStatus.OK, 0, 70.0, 10, 1_500);
    board.record(ResultStatus.LATE, 1, 0.0, 150, 2_000);
    board.record(ResultStatus.SHED, -1, 0.0, 0, 2_000);
    board.record(ResultStatus.FAILED, 0, 0.0, 5, 3_000);

    Scoreboard.Summary s = board.summary();
    assertThat(s.requests()).isEqualTo(5);
    assertThat(s.effectiveAccuracy()).isCloseTo((78.0 + 70.0) / 5, within(1e-9));
    assertThat(s.sloAttainment()).isCloseTo(0.4, within(1e-9));
    assertThat(s.shedRate()).isCloseTo(0.2, within(1e-9));
    // latencies of the four answered or failed requests: 5, 10, 40, 150
    assertThat(s.p50LatencyMs()).isEqualTo(10.0);
    assertThat(s.p99LatencyMs()).isEqualTo(150.0);
    assertThat(s.goodputPerSecond()).isCloseTo(2 / 2.0, within(1e-9));
    assertThat(s.variantMix()).containsExactly(0.5, 0.5);
    assertThat(s.mixText()).isEqualTo("small 50% large 50%");
  }

  @Test
  void emptyBoardGivesNaNNotZero() {
    Scoreboard.Summary s = new Scoreboard(List.of("a")).summary();
    assertThat(s.requests()).isZero();
    assertThat(s.effectiveAccuracy()).isNaN();
    assertThat(s.p99LatencyMs()).isNaN();
  }
}
