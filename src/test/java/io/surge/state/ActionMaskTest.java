package io.surge.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ActionMaskTest {

  private final ServiceTopology topology = TestServices.topology();
  private final float[] mask = new float[4];

  @Test
  void allHealthyAllowsEverything() {
    assertThat(ActionMask.compute(topology, 0b11, Double.NaN, mask)).isEqualTo(3);
    assertThat(mask).containsExactly(1, 1, 1, 1);
  }

  @Test
  void variantsWithoutAHealthyHostAreMaskedButShedNeverIs() {
    // s0 down: medium is hosted only there
    assertThat(ActionMask.compute(topology, 0b10, 0, mask)).isEqualTo(2);
    assertThat(mask).containsExactly(1, 0, 1, 1);
    assertThat(ActionMask.compute(topology, 0, 0, mask)).isZero();
    assertThat(mask).containsExactly(0, 0, 0, 1);
  }

  @Test
  void minimumAccuracyMasksLessAccurateVariants() {
    assertThat(ActionMask.compute(topology, 0b11, 75.0, mask)).isEqualTo(2);
    assertThat(mask).containsExactly(0, 1, 1, 1);
    ActionMask.compute(topology, 0b11, 99.0, mask);
    assertThat(mask).containsExactly(0, 0, 0, 1);
    assertThat(ActionMask.allowed(mask, 3)).isTrue();
    assertThat(ActionMask.allowed(mask, 0)).isFalse();
  }
}
