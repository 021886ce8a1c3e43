package io.surge.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PoissonWorkloadTest {

  @Test
  void longRunRateIsWithinFiveStandardDeviations() {
    ArrivalProcess process = WorkloadSpec.parse("poisson:rate=50").newProcess(7);
    double horizon = 2_000;
    long count = Arrivals.countUntil(process, horizon);

    double expected = 50 * horizon;
    assertThat((double) count)
        .isCloseTo(expected, org.assertj.core.data.Offset.offset(5 * Math.sqrt(expected)));
    assertThat(process.hiddenState()).isZero();
    assertThat(process.hiddenRate()).isEqualTo(50.0);
  }

  @Test
  void sameSeedGivesSameArrivalsAndOtherSeedsDiffer() {
    WorkloadSpec spec = WorkloadSpec.parse("poisson:rate=10");
    ArrivalProcess a = spec.newProcess(1);
    ArrivalProcess b = spec.newProcess(1);
    ArrivalProcess c = spec.newProcess(2);
    double first = a.nextArrival();
    assertThat(b.nextArrival()).isEqualTo(first);
    assertThat(c.nextArrival()).isNotEqualTo(first);
  }

  @Test
  void arrivalTimesNeverDecreaseAndNanosAgreeWithSeconds() {
    ArrivalProcess seconds = WorkloadSpec.parse("poisson:rate=1000").newProcess(3);
    ArrivalProcess nanos = WorkloadSpec.parse("poisson:rate=1000").newProcess(3);
    double previous = 0;
    for (int i = 0; i < 10_000; i++) {
      double t = seconds.nextArrival();
      assertThat(t).isGreaterThanOrEqualTo(previous);
      assertThat(nanos.nextArrivalNanos()).isEqualTo(Math.round(t * 1e9));
      previous = t;
    }
  }
}
