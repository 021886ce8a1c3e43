package io.surge.train.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PpoConfigTest {

  @Test
  void perDecisionDiscountIgnoresTime() {
    PpoConfig config = PpoConfig.defaults().toBuilder().gamma(0.995).build();

    assertThat(config.discount(0, 0)).isEqualTo(0.995);
    assertThat(config.discount(0, 5_000_000_000L)).isEqualTo(0.995);
  }

  @Test
  void timeBasedDiscountDecaysWithTheSimulatedGap() {
    PpoConfig config = PpoConfig.defaults().toBuilder().discountSeconds(0.5).build();

    assertThat(config.discount(1_000_000_000L, 1_000_000_000L)).isEqualTo(1.0);
    assertThat(config.discount(1_000_000_000L, 1_500_000_000L))
        .isCloseTo(Math.exp(-1), within(1e-12));
    // twice the gap, the discount squared: the horizon is in seconds, however many decisions
    assertThat(config.discount(0, 1_000_000_000L))
        .isCloseTo(Math.pow(config.discount(0, 500_000_000L), 2), within(1e-12));
  }

  @Test
  void timeBasedLambdaDecaysWithTheSimulatedGapAndPerDecisionOneDoesNot() {
    PpoConfig perDecision = PpoConfig.defaults().toBuilder().gaeLambda(0.9).build();
    PpoConfig timed = PpoConfig.defaults().toBuilder().gaeLambda(0.9).gaeSeconds(0.1).build();

    assertThat(perDecision.lambda(0, 1_000_000_000L)).isEqualTo(0.9);
    assertThat(timed.lambda(0, 0)).isEqualTo(1.0);
    assertThat(timed.lambda(0, 100_000_000L)).isCloseTo(Math.exp(-1), within(1e-12));
    assertThatThrownBy(() -> PpoConfig.defaults().toBuilder().gaeSeconds(-0.1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GAE seconds");
  }

  @Test
  void negativeHorizonIsRefused() {
    assertThatThrownBy(() -> PpoConfig.defaults().toBuilder().discountSeconds(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("discount seconds");
  }
}
