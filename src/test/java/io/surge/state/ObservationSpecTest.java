package io.surge.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ObservationSpecTest {

  private static final EstimatorSettings DEFAULTS = TestServices.WITH_HISTORY;

  @Test
  void hashIsStableAcrossInstancesAndReleases() {
    ObservationSpec a = new ObservationSpec(5, DEFAULTS);
    ObservationSpec b = new ObservationSpec(5, TestServices.WITH_HISTORY);
    assertThat(a.hash()).isEqualTo(b.hash()).hasSize(16).matches("[0-9a-f]+");
    // pinned: if this changes, every trained policy is refused; bump VERSION on purpose only
    assertThat(a.hash()).isEqualTo(PINNED_5_VARIANTS_DEFAULTS);
  }

  @Test
  void hashChangesWhenAnythingThatShapesTheFeaturesChanges() {
    String base = new ObservationSpec(5, DEFAULTS).hash();
    assertThat(new ObservationSpec(4, DEFAULTS).hash()).isNotEqualTo(base);
    assertThat(new ObservationSpec(5, DEFAULTS.withHistoryLength(0)).hash()).isNotEqualTo(base);
    EstimatorSettings otherRates =
        new EstimatorSettings(new double[] {100, 1000, 5000}, 0.05, 0.1, 0.1, 0.05, 0.05, 4);
    assertThat(new ObservationSpec(5, otherRates).hash()).isNotEqualTo(base);
    EstimatorSettings otherAlpha =
        new EstimatorSettings(new double[] {100, 1000, 10000}, 0.05, 0.2, 0.1, 0.05, 0.05, 4);
    assertThat(new ObservationSpec(5, otherAlpha).hash()).isNotEqualTo(base);
  }

  @Test
  void namesEveryElementOfTheVector() {
    ObservationSpec spec = new ObservationSpec(2, DEFAULTS);
    assertThat(spec.featureNames()).hasSize(spec.dimension()).doesNotHaveDuplicates();
    assertThat(spec.frameFeatures())
        .startsWith(
            "slack_deadlines",
            "load_tau100ms",
            "load_tau1000ms",
            "load_tau10000ms",
            "interarrival_cv2")
        .endsWith("v1.observed_over_predicted");
    assertThat(spec.featureNames().get(spec.frameSize())).isEqualTo("slack_deadlines@t-1");
    assertThat(spec.actionCount()).isEqualTo(3);
  }

  private static final String PINNED_5_VARIANTS_DEFAULTS = "dd11f8b0ab17042b";

  @Test
  void privilegedFeaturesAreAppendedAfterTheHistoryAndChangeTheHash() {
    ObservationSpec plain = new ObservationSpec(5, DEFAULTS);
    ObservationSpec oracle =
        plain.withPrivileged(List.of("privileged.next_second_arrivals", "privileged.s0.slowdown"));

    assertThat(plain.hash()).isEqualTo(PINNED_5_VARIANTS_DEFAULTS);
    assertThat(plain.canonical()).doesNotContain("privileged");
    assertThat(oracle.hash()).isNotEqualTo(plain.hash());
    assertThat(oracle.privilegedOffset()).isEqualTo(plain.dimension());
    assertThat(oracle.dimension()).isEqualTo(plain.dimension() + 2);
    assertThat(oracle.featureNames().get(plain.dimension()))
        .isEqualTo("privileged.next_second_arrivals");
    assertThatThrownBy(() -> plain.withPrivileged(List.of("true_rate")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
