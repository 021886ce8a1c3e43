package io.surge.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlashWorkloadTest {

  @Test
  void peakWindowsAreTheLastLenSecondsOfEveryPeriod() {
    FlashWorkload spec =
        (FlashWorkload) WorkloadSpec.parse("flash:base=10,peak=100,every=60,len=10");
    assertThat(spec.inPeak(0)).isFalse();
    assertThat(spec.inPeak(49.99)).isFalse();
    assertThat(spec.inPeak(50)).isTrue();
    assertThat(spec.inPeak(59.99)).isTrue();
    assertThat(spec.inPeak(60)).isFalse();
    assertThat(spec.inPeak(115)).isTrue();
  }

  @Test
  void arrivalsFollowThePeakAndBaseRates() {
    FlashWorkload spec =
        (FlashWorkload) WorkloadSpec.parse("flash:base=10,peak=100,every=60,len=10");
    List<double[]> arrivals = Arrivals.withHiddenState(spec.newProcess(4), 6_000);

    long peak = 0;
    long base = 0;
    for (double[] a : arrivals) {
      boolean hiddenPeak = a[1] == 1;
      assertThat(hiddenPeak).as("arrival at %s", a[0]).isEqualTo(spec.inPeak(a[0]));
      assertThat(a[2]).isEqualTo(hiddenPeak ? 100.0 : 10.0);
      if (hiddenPeak) {
        peak++;
      } else {
        base++;
      }
    }
    // 100 periods: 100 * 10 s at 100/s and 100 * 50 s at 10/s
    assertThat((double) peak).isCloseTo(100_000, within(5 * Math.sqrt(100_000)));
    assertThat((double) base).isCloseTo(50_000, within(5 * Math.sqrt(50_000)));
    assertThat(spec.meanRate()).isEqualTo(25.0);
  }

  @Test
  void zeroBaseGivesArrivalsOnlyInPeaks() {
    FlashWorkload spec = (FlashWorkload) WorkloadSpec.parse("flash:base=0,peak=20,every=10,len=2");
    List<double[]> arrivals = Arrivals.withHiddenState(spec.newProcess(1), 1_000);
    assertThat(arrivals).isNotEmpty().allSatisfy(a -> assertThat(spec.inPeak(a[0])).isTrue());
  }
}
