package io.surge.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.schema.ResultStatus;
import org.junit.jupiter.api.Test;

class TimelineTest {

  @Test
  void binsEachRequestByCreationSecondOutcomeAndVariant() {
    Timeline timeline = new Timeline(10_000, 3);
    timeline.add(10_100, ResultStatus.OK, 78.0, 2);
    timeline.add(10_900, ResultStatus.LATE, 76.0, 1);
    timeline.add(11_500, ResultStatus.SHED, 0, -1);
    timeline.add(11_600, ResultStatus.OK, 70.0, 0);

    assertThat(timeline.seconds()).isEqualTo(2);
    assertThat(timeline.arrivals(0)).isEqualTo(2);
    assertThat(timeline.sentTo(0, 2)).isEqualTo(1);
    assertThat(timeline.sentTo(0, 1)).isEqualTo(1);
    assertThat(timeline.sentTo(1, 0)).isEqualTo(1);
    assertThat(timeline.sentTo(1, 1) + timeline.sentTo(1, 2)).isZero();
    assertThat(timeline.count(1, ResultStatus.SHED)).isEqualTo(1);
    assertThat(timeline.onTimeAccuracy(0)).isEqualTo(78.0);
  }

  @Test
  void aCopyKeepsTheMixBeyondTheFirstGrowth() {
    Timeline timeline = new Timeline(0, 2);
    timeline.add(100_000, ResultStatus.OK, 70.0, 1); // second 100: the arrays grow past 64

    Timeline copy = timeline.copy();
    timeline.add(100_500, ResultStatus.OK, 70.0, 1);

    assertThat(copy.sentTo(100, 1)).isEqualTo(1);
    assertThat(timeline.sentTo(100, 1)).isEqualTo(2);
    assertThat(copy.variants()).isEqualTo(2);
  }
}
