package io.surge.state;

import static io.surge.state.TestServices.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObservationBuilderTest {

  private static final long ALL = 0b11;
  private static final long ONLY_S0 = 0b01;

  private final ObservationBuilder builder =
      TestServices.builder(EstimatorSettings.defaults().withHistoryLength(2));
  private final WorkloadTracker tracker = builder.tracker();
  private final WorkloadState state = tracker.newState();
  private final ObservationSpec spec = builder.spec();
  private final float[] out = new float[spec.dimension()];

  @Test
  void dimensionIsFrameTimesHistoryPlusOne() {
    // slack + 3 rates + cv2 + inflight + reward + shed + 3 variants x 4
    assertThat(spec.frameSize()).isEqualTo(1 + 3 + 4 + 3 * 4);
    assertThat(spec.dimension()).isEqualTo(20 * 3);
    assertThat(builder.build(state, 50, ALL, 0, out)).isEqualTo(60);
  }

  @Test
  void writesEachFeatureWhereTheSpecNamesIt() {
    tracker.onArrival(state, 0);
    tracker.onDispatch(state, 1, 0, 0, 0);
    tracker.onDispatch(state, 2, 0, 0, 0);
    tracker.onDispatch(state, 3, 2, 1, 0);
    tracker.onCompletion(state, 3, 42, true, 0);

    builder.build(state, 55.5, ALL, 0, out);

    assertThat(feature("slack_ms")).isEqualTo(55.5f);
    assertThat(feature("rate_hz_tau1000ms")).isCloseTo(1f, within(1e-6f));
    assertThat(feature("rate_hz_tau100ms")).isCloseTo(10f, within(1e-5f));
    assertThat(feature("inflight_total")).isEqualTo(2f);
    assertThat(feature("v0.inflight")).isEqualTo(2f);
    assertThat(feature("v2.latency_ewma_ms")).isEqualTo(42f);
    assertThat(feature("v2.late_rate")).isEqualTo(1f);
  }

  @Test
  void predictsLatencyOnTheServerTheRouterWouldPick() {
    tracker.onDispatch(state, 1, 0, 0, 0);
    tracker.onDispatch(state, 2, 0, 0, 0);
    // s0 holds 2 small: one batch of 2, 5 + (12 - 5) / 3 ms
    double s0Work = 5 + 7.0 / 3;

    builder.build(state, 100, ALL, 0, out);
    // small: s1 is idle -> 5 ms; medium only on s0 -> work + 10; large: s1 idle -> 20
    assertThat(feature("v0.predicted_latency_ms")).isCloseTo(5f, within(1e-4f));
    assertThat(feature("v1.predicted_latency_ms")).isCloseTo((float) (s0Work + 10), within(1e-4f));
    assertThat(feature("v2.predicted_latency_ms")).isCloseTo(20f, within(1e-4f));

    builder.build(state, 100, ONLY_S0, 0, out);
    // small joins the batch on s0: batch of 3 = 5 + 2 * 7/3
    assertThat(feature("v0.predicted_latency_ms")).isCloseTo((float) (5 + 14.0 / 3), within(1e-4f));
    assertThat(feature("v2.predicted_latency_ms")).isCloseTo((float) (s0Work + 20), within(1e-4f));

    builder.build(state, 100, 0, 0, out);
    assertThat(feature("v2.predicted_latency_ms"))
        .isEqualTo(ObservationSpec.UNAVAILABLE_LATENCY_MS);
  }

  @Test
  void historyHoldsPreviousFramesMostRecentFirst() {
    int f = spec.frameSize();
    builder.observe(state, 1, ALL, 0, out);
    assertThat(Arrays.copyOfRange(out, f, 3 * f)).containsOnly(0f);

    builder.observe(state, 2, ALL, MS, out);
    assertThat(out[0]).isEqualTo(2f);
    assertThat(out[f]).isEqualTo(1f);
    assertThat(Arrays.copyOfRange(out, 2 * f, 3 * f)).containsOnly(0f);

    builder.observe(state, 3, ALL, 2 * MS, out);
    builder.observe(state, 4, ALL, 3 * MS, out);
    assertThat(new float[] {out[0], out[f], out[2 * f]}).containsExactly(4f, 3f, 2f);
  }

  @Test
  void buildDoesNotTouchTheHistory() {
    builder.build(state, 7, ALL, 0, out);
    builder.build(state, 8, ALL, 0, out);
    assertThat(state.historyCount).isZero();
    assertThat(out[spec.frameSize()]).isZero();
  }

  @Test
  void noHistoryAblationHasJustTheCurrentFrame() {
    ObservationBuilder flat =
        TestServices.builder(EstimatorSettings.defaults().withHistoryLength(0));
    WorkloadState s = flat.tracker().newState();
    float[] buffer = new float[flat.spec().dimension()];
    assertThat(flat.spec().dimension()).isEqualTo(flat.spec().frameSize());
    flat.observe(s, 9, ALL, 0, buffer);
    flat.observe(s, 10, ALL, 0, buffer);
    assertThat(buffer[0]).isEqualTo(10f);
  }

  @Test
  void rejectsTooSmallBuffer() {
    assertThatThrownBy(() -> builder.build(state, 1, ALL, 0, new float[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension");
  }

  private float feature(String name) {
    List<String> names = spec.featureNames();
    int i = names.indexOf(name);
    assertThat(i).as("feature " + name).isNotNegative();
    return out[i];
  }
}
