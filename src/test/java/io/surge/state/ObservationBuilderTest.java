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
    // slack + 3 loads + cv2 + inflight + reward + shed + 3 variants x 5
    assertThat(spec.frameSize()).isEqualTo(1 + 3 + 4 + 3 * 5);
    assertThat(spec.dimension()).isEqualTo(23 * 3);
    assertThat(builder.build(state, 50, ALL, 0, out)).isEqualTo(69);
  }

  @Test
  void writesEachFeatureWhereTheSpecNamesIt() {
    tracker.onArrival(state, 0);
    tracker.onDispatch(state, 1, 0, 0, 0);
    tracker.onDispatch(state, 2, 0, 0, 0);
    tracker.onDispatch(state, 3, 2, 1, 0);
    tracker.onCompletion(state, 3, 42, true, 0, 0);

    builder.build(state, 55.5, ALL, 0, out);

    // units: deadline 100 ms; C = medium on s0 at batch 4 = 4 / 25 ms = 160/s; small on s0 and
    // s1 serves 2 x 4 / 12 ms = 666.7/s
    assertThat(feature("slack_deadlines")).isCloseTo(0.555f, within(1e-6f));
    assertThat(feature("load_tau1000ms")).isCloseTo(1f / 160, within(1e-6f));
    assertThat(feature("load_tau100ms")).isCloseTo(10f / 160, within(1e-6f));
    assertThat(feature("inflight_capacity_deadlines")).isCloseTo(2f / 16, within(1e-6f));
    assertThat(feature("v0.queue_deadlines")).isCloseTo(2f / 66.667f, within(1e-5f));
    assertThat(feature("v2.latency_deadlines")).isCloseTo(0.42f, within(1e-6f));
    assertThat(feature("v2.late_rate")).isEqualTo(1f);
    assertThat(feature("v2.observed_over_predicted")).isEqualTo(1f); // no prediction recorded
  }

  @Test
  void observedOverPredictedLatencyFollowsTheSchedulersPredictions() {
    tracker.onDispatch(state, 7, 1, 0, 0, 20f);
    tracker.onCompletion(state, 7, 42, false, 0.75, 0);
    builder.build(state, 50, ALL, 0, out);
    assertThat(feature("v1.observed_over_predicted")).isCloseTo(2.1f, within(1e-6f));
    assertThat(feature("v0.observed_over_predicted")).isEqualTo(1f);
  }

  @Test
  void aVariantsEstimatesFadeWhileItCompletesNothing() {
    // a cold start: variant 1 answers one request late, 15x slower than predicted, at t = 0
    tracker.onDispatch(state, 7, 1, 0, 0, 20f);
    tracker.onCompletion(state, 7, 300, true, 0, 0);
    builder.build(state, 50, ALL, 0, out);
    assertThat(feature("v1.late_rate")).isEqualTo(1f);
    assertThat(feature("v1.latency_deadlines")).isCloseTo(3f, within(1e-6f));
    assertThat(feature("v1.observed_over_predicted")).isCloseTo(15f, within(1e-5f));

    // 30 s later, nothing more from variant 1: its estimates read almost as never observed
    float w = (float) Math.exp(-3);
    builder.build(state, 50, ALL, 30_000 * MS, out);
    assertThat(feature("v1.late_rate")).isCloseTo(w, within(1e-6f));
    assertThat(feature("v1.latency_deadlines")).isCloseTo(3 * w, within(1e-5f));
    assertThat(feature("v1.observed_over_predicted")).isCloseTo(1 + 14 * w, within(1e-5f));
    assertThat(feature("v0.late_rate")).as("never observed").isZero();
  }

  @Test
  void theNextCompletionContinuesFromTheFadedEstimate() {
    tracker.onDispatch(state, 7, 1, 0, 0, 20f);
    tracker.onCompletion(state, 7, 300, true, 0, 0);
    tracker.onDispatch(state, 8, 1, 0, 30_000 * MS, 20f);
    tracker.onCompletion(state, 8, 20, false, 0.75, 30_000 * MS);
    builder.build(state, 50, ALL, 30_000 * MS, out);
    double w = Math.exp(-3);
    // EWMA weight 0.1 from the faded value, read fresh (the completion was just now)
    assertThat(feature("v1.late_rate")).isCloseTo((float) (0.9 * w), within(1e-6f));
    assertThat(feature("v1.latency_deadlines"))
        .isCloseTo((float) ((0.9 * 300 * w + 0.1 * 20) / 100), within(1e-5f));
    assertThat(feature("v1.observed_over_predicted"))
        .isCloseTo((float) (0.9 * (1 + 14 * w) + 0.1), within(1e-5f));
  }

  @Test
  void predictsLatencyOnTheServerTheRouterWouldPick() {
    tracker.onDispatch(state, 1, 0, 0, 0);
    tracker.onDispatch(state, 2, 0, 0, 0);
    // s0 holds 2 small: one batch of 2, 5 + (12 - 5) / 3 ms
    double s0Work = 5 + 7.0 / 3;

    builder.build(state, 100, ALL, 0, out);
    // small: s1 is idle -> 5 ms; medium only on s0 -> work + 10; large: s1 idle -> 20
    assertThat(feature("v0.predicted_deadlines") * 100).isCloseTo(5f, within(1e-4f));
    assertThat(feature("v1.predicted_deadlines") * 100)
        .isCloseTo((float) (s0Work + 10), within(1e-4f));
    assertThat(feature("v2.predicted_deadlines") * 100).isCloseTo(20f, within(1e-4f));

    builder.build(state, 100, ONLY_S0, 0, out);
    // small joins the batch on s0: batch of 3 = 5 + 2 * 7/3
    assertThat(feature("v0.predicted_deadlines") * 100)
        .isCloseTo((float) (5 + 14.0 / 3), within(1e-4f));
    assertThat(feature("v2.predicted_deadlines") * 100)
        .isCloseTo((float) (s0Work + 20), within(1e-4f));

    builder.build(state, 100, 0, 0, out);
    assertThat(feature("v2.predicted_deadlines")).isEqualTo(ObservationSpec.UNAVAILABLE_DEADLINES);
  }

  @Test
  void historyHoldsPreviousFramesMostRecentFirst() {
    int f = spec.frameSize();
    builder.observe(state, 1, ALL, 0, out);
    assertThat(Arrays.copyOfRange(out, f, 3 * f)).containsOnly(0f);

    builder.observe(state, 2, ALL, MS, out);
    assertThat(out[0]).isEqualTo(0.02f); // slack in deadlines of 100 ms
    assertThat(out[f]).isEqualTo(0.01f);
    assertThat(Arrays.copyOfRange(out, 2 * f, 3 * f)).containsOnly(0f);

    builder.observe(state, 3, ALL, 2 * MS, out);
    builder.observe(state, 4, ALL, 3 * MS, out);
    assertThat(new float[] {out[0], out[f], out[2 * f]}).containsExactly(0.04f, 0.03f, 0.02f);
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
    assertThat(buffer[0]).isEqualTo(0.1f);
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
