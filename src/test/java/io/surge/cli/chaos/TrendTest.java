package io.surge.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrendTest {

  private static final List<Double> MINUTES = List.of(1.0, 2.0, 3.0, 4.0, 5.0);

  @Test
  void aSteadyLeakRises() {
    Trend t = Trend.fit(MINUTES, List.of(100.0, 111.0, 119.0, 131.0, 140.0));

    assertThat(t.slope()).isCloseTo(10.0, within(0.5));
    assertThat(t.rises(0.10)).isTrue();
  }

  @Test
  void noiseAroundAFlatLevelDoesNotRise() {
    Trend t = Trend.fit(MINUTES, List.of(100.0, 104.0, 97.0, 103.0, 99.0));

    assertThat(t.rises(0.10)).isFalse();
  }

  @Test
  void aSignificantButTinyRiseIsTolerated() {
    Trend t = Trend.fit(MINUTES, List.of(1000.0, 1001.0, 1002.0, 1003.0, 1004.0));

    assertThat(t.slope()).isCloseTo(1.0, within(1e-9));
    assertThat(t.rises(0.10)).isFalse();
    assertThat(t.rises(0.001)).isTrue();
  }

  @Test
  void aFallingSeriesDoesNotRise() {
    assertThat(Trend.fit(MINUTES, List.of(50.0, 40.0, 30.0, 20.0, 10.0)).rises(0.0)).isFalse();
  }

  @Test
  void twoSamplesAreNotATrend() {
    assertThatThrownBy(() -> Trend.fit(List.of(1.0, 2.0), List.of(1.0, 2.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 3");
  }
}
