package io.surge.train.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MeanIntervalTest {

  @Test
  void meanAndStudentTHalfWidthMatchAHandComputedExample() {
    // mean 3, sample sd sqrt(2.5), standard error sqrt(2.5 / 5) = 0.707107, t(0.975, 4) = 2.7764
    MeanInterval interval = MeanInterval.of(new double[] {1, 2, 3, 4, 5});

    assertThat(interval.mean()).isEqualTo(3.0);
    assertThat(interval.ci95()).isCloseTo(2.7764 * Math.sqrt(0.5), within(1e-9));
    assertThat(interval.ci95()).isCloseTo(1.96321, within(1e-5));
  }

  @Test
  void pairedDifferencesArePerSeed() {
    // differences 2, 3, 2: mean 7/3, sd sqrt(1/3), se 1/3, t(0.975, 2) = 4.3027
    MeanInterval paired = MeanInterval.paired(new double[] {3, 5, 4}, new double[] {1, 2, 2});

    assertThat(paired.mean()).isCloseTo(7.0 / 3, within(1e-12));
    assertThat(paired.ci95()).isCloseTo(4.3027 / 3, within(1e-9));
  }

  @Test
  void oneValueHasNoInterval() {
    assertThat(MeanInterval.of(new double[] {0.4}).ci95()).isNaN();
  }

  @Test
  void studentTQuantilesFromTheTableAndTheExpansion() {
    assertThat(StudentT.quantile975(9)).isEqualTo(2.2622);
    assertThat(StudentT.quantile975(30)).isEqualTo(2.0423);
    assertThat(StudentT.quantile975(60)).isCloseTo(2.0003, within(1e-4));
    assertThat(StudentT.quantile975(120)).isCloseTo(1.9799, within(1e-4));
  }
}
