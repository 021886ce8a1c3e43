package io.surge.state;

import static io.surge.state.TestServices.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WorkloadTrackerTest {

  private final WorkloadTracker tracker = TestServices.builder().tracker();
  private final WorkloadState state = tracker.newState();

  @Test
  void ratesAfterKnownArrivals() {
    tracker.onArrival(state, 0);
    tracker.onArrival(state, 100 * MS);
    tracker.onArrival(state, 200 * MS);

    // tau = 100 ms: mass = 1 + e^-1 + e^-2, rate = mass / 0.1 s
    assertThat(tracker.rateHz(state, 0, 200 * MS))
        .isCloseTo((1 + Math.exp(-1) + Math.exp(-2)) / 0.1, within(1e-9));
    // tau = 1 s: mass = 1 + e^-0.1 + e^-0.2
    assertThat(tracker.rateHz(state, 1, 200 * MS))
        .isCloseTo(1 + Math.exp(-0.1) + Math.exp(-0.2), within(1e-9));
  }

  @Test
  void rateDecaysWithoutArrivals() {
    tracker.onArrival(state, 0);
    double before = tracker.rateHz(state, 1, 0);
    assertThat(before).isCloseTo(1.0, within(1e-12));
    assertThat(tracker.rateHz(state, 1, 1_000 * MS)).isCloseTo(Math.exp(-1), within(1e-12));
    assertThat(tracker.rateHz(state, 0, 1_000 * MS)).isCloseTo(10 * Math.exp(-10), within(1e-12));
  }

  @Test
  void irregularGapsEqualTheSumOfDecayedArrivals() {
    Random random = new Random(7);
    long[] times = new long[200];
    long t = 0;
    for (int i = 0; i < times.length; i++) {
      t += (long) (random.nextDouble() * 50 * MS);
      times[i] = t;
      tracker.onArrival(state, t);
    }
    long now = t + 37 * MS;
    double mass = 0;
    for (long ti : times) {
      mass += Math.exp(-(now - ti) / (1_000.0 * MS));
    }
    assertThat(tracker.rateHz(state, 1, now)).isCloseTo(mass, within(1e-9));
  }

  @Test
  void steadyStreamConvergesToItsRate() {
    for (long t = 0; t <= 60_000 * MS; t += MS) {
      tracker.onArrival(state, t);
    }
    // 1000/s for 60 s: 10 s scale still 0.25 % short (e^-6), 100 ms scale +0.5 % discretisation
    assertThat(tracker.rateHz(state, 2, 60_000 * MS)).isCloseTo(1000, within(3.0));
    assertThat(tracker.rateHz(state, 0, 60_000 * MS)).isCloseTo(1000, within(6.0));
  }

  @Test
  void interArrivalVariability() {
    WorkloadTracker halfAlpha =
        new WorkloadTracker(
            new EstimatorSettings(new double[] {1000}, 0.5, 0.1, 0.1, 0.1, 0.1, 0), 3, 2, 10);
    WorkloadState s = halfAlpha.newState();
    halfAlpha.onArrival(s, 0);
    halfAlpha.onArrival(s, 10 * MS);
    assertThat(halfAlpha.interArrivalCv2(s)).isZero();
    halfAlpha.onArrival(s, 40 * MS);
    // gaps 10, 30 ms: mean 20, mean square 500, cv^2 = 500/400 - 1
    assertThat(s.gapMeanMs).isCloseTo(20, within(1e-9));
    assertThat(halfAlpha.interArrivalCv2(s)).isCloseTo(0.25, within(1e-9));
  }

  @Test
  void regularArrivalsHaveNoVariability() {
    for (int i = 0; i < 100; i++) {
      tracker.onArrival(state, i * 10 * MS);
    }
    assertThat(tracker.interArrivalCv2(state)).isCloseTo(0, within(1e-9));
  }

  @Test
  void inFlightAccountingWithIdempotentCompletion() {
    long a = RequestIds.key("a");
    long b = RequestIds.key("b");
    assertThat(tracker.onDispatch(state, a, 2, 0, 0)).isTrue();
    assertThat(tracker.onDispatch(state, b, 2, 1, 0)).isTrue();
    assertThat(tracker.onDispatch(state, a, 2, 0, 0)).as("replayed dispatch").isFalse();
    assertThat(state.inflightCount).isEqualTo(2);
    assertThat(state.inflightByVariant).containsExactly(0, 0, 2);
    assertThat(state.inflightByServer).containsExactly(1, 1);
    assertThat(state.inflightByPair[2 * 2 + 1]).isEqualTo(1);

    assertThat(tracker.onCompletion(state, a, 30, false, 78, 0)).isTrue();
    assertThat(tracker.onCompletion(state, a, 30, false, 78, 0)).as("duplicate").isFalse();
    assertThat(tracker.onCompletion(state, RequestIds.key("never"), 30, true, 0, 0)).isFalse();

    assertThat(state.inflightCount).isEqualTo(1);
    assertThat(state.inflightByVariant).containsExactly(0, 0, 1);
    assertThat(state.inflightByServer).containsExactly(0, 1);
    assertThat(state.latencyMsByVariant[2]).isEqualTo(30);
    assertThat(state.recentReward).isEqualTo(78);
  }

  @Test
  void latencyLateRateAndRewardAreEwmas() {
    for (int i = 0; i < 3; i++) {
      tracker.onDispatch(state, i + 1, 0, 0, 0);
    }
    tracker.onCompletion(state, 1, 10, false, 70, 0);
    tracker.onCompletion(state, 2, 20, true, 0, 0);
    tracker.onCompletion(state, 3, 40, false, 70, 0);
    // alpha 0.1 (latency, late), 0.05 (reward); the first sample sets the value
    double lat = 10 + 0.1 * (20 - 10);
    lat += 0.1 * (40 - lat);
    assertThat(state.latencyMsByVariant[0]).isCloseTo(lat, within(1e-9));
    assertThat(state.latencyMsByServer[0]).isCloseTo(lat, within(1e-9));
    assertThat(state.lateRateByVariant[0]).isCloseTo(0.1 * 0.9, within(1e-9));
    double reward = 70 + 0.05 * (0 - 70);
    reward += 0.05 * (70 - reward);
    assertThat(state.recentReward).isCloseTo(reward, within(1e-9));
    assertThat(state.shedRate).isZero();
  }

  @Test
  void shedsCountInShedRateAndReward() {
    tracker.onShed(state, 0);
    assertThat(state.shedRate).isEqualTo(1);
    tracker.onDispatch(state, 9, 1, 0, 0);
    assertThat(state.shedRate).isCloseTo(0.95, within(1e-12));
    assertThat(state.recentReward).isZero();
  }

  @Test
  void expireDropsOnlyOldRequestsAsTimeouts() {
    tracker.onDispatch(state, 1, 0, 0, 0);
    tracker.onDispatch(state, 2, 1, 0, 500 * MS);
    tracker.onDispatch(state, 3, 2, 1, 900 * MS);

    assertThat(tracker.expire(state, 1_000 * MS, 400 * MS)).isEqualTo(2);
    assertThat(state.inflightCount).isEqualTo(1);
    assertThat(state.inflightByVariant).containsExactly(0, 0, 1);
    assertThat(state.lateRateByVariant[0]).isEqualTo(1);
    assertThat(tracker.onCompletion(state, 1, 5, false, 70, 1_000 * MS))
        .as("already expired")
        .isFalse();
    assertThat(tracker.onCompletion(state, 3, 5, false, 78, 1_000 * MS)).isTrue();
  }

  @Test
  void inFlightTableMatchesAHashMapUnderRandomTraffic() {
    WorkloadState small = tracker.newState(4);
    Map<Long, Integer> reference = new HashMap<>();
    Random random = new Random(42);
    for (int step = 0; step < 20_000; step++) {
      long key = 1 + random.nextInt(3_000);
      if (random.nextBoolean()) {
        int variant = random.nextInt(3) == 1 ? 1 : 2 * random.nextInt(2);
        boolean added = tracker.onDispatch(small, key, variant, variant == 1 ? 0 : 1, step);
        assertThat(added).isEqualTo(reference.putIfAbsent(key, variant) == null);
      } else {
        boolean done = tracker.onCompletion(small, key, 1, false, 1, step);
        assertThat(done).isEqualTo(reference.remove(key) != null);
      }
    }
    assertThat(small.inflightCount).isEqualTo(reference.size());
    for (int v = 0; v < 3; v++) {
      int variant = v;
      long expected = reference.values().stream().filter(x -> x == variant).count();
      assertThat(small.inflightByVariant[v]).isEqualTo((int) expected);
    }
  }

  @Test
  void rejectsOutOfRangeDispatch() {
    assertThatThrownBy(() -> tracker.onDispatch(state, 1, 3, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of range");
  }

  @Test
  void fitsOnlyStatesOfItsShape() {
    assertThat(tracker.fits(state)).isTrue();
    assertThat(tracker.fits(new WorkloadState())).isFalse();
    WorkloadTracker noHistory =
        TestServices.builder(EstimatorSettings.defaults().withHistoryLength(0)).tracker();
    assertThat(noHistory.fits(state)).isFalse();
  }
}
