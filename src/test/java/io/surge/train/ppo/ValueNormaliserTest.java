package io.surge.train.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ValueNormaliserTest {

  @Test
  void isTheIdentityBeforeAnyReturnIsSeen() {
    ValueNormaliser normaliser = new ValueNormaliser();
    assertThat(normaliser.shift()).isZero();
    assertThat(normaliser.scale()).isEqualTo(1);
  }

  @Test
  void theFirstUpdateAlreadyHasTheReturnsMeanAndSpread() {
    ValueNormaliser normaliser = new ValueNormaliser();
    normaliser.observe(new double[] {290, 310, 300, 300, 999}, 4); // the last is not in the batch
    assertThat(normaliser.shift()).isCloseTo(300, within(1e-6));
    assertThat(normaliser.scale()).isCloseTo(Math.sqrt(50), within(1e-6));
  }

  @Test
  void followsReturnsThatGrowAsThePolicyImproves() {
    ValueNormaliser normaliser = new ValueNormaliser();
    for (int update = 0; update < 3000; update++) {
      double mean = update < 1000 ? 100 : 500;
      normaliser.observe(new double[] {mean - 10, mean + 10}, 2);
    }
    assertThat(normaliser.shift()).isGreaterThan(400).isLessThan(500);
  }

  @Test
  void returnsThatDoNotVaryAreNotBlownUp() {
    ValueNormaliser normaliser = new ValueNormaliser();
    normaliser.observe(new double[] {7, 7, 7}, 3);
    assertThat(normaliser.scale()).isEqualTo(1e-2);
  }
}
