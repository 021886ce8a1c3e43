package io.surge.train.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.sim.workload.WorkloadSpec;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The recent arrivals become the workload spec the simulator replays. */
class ArrivalPatternTest {

  @Test
  void burstsBecomeATwoPhaseMmppWithTheirRatesAndDwells() {
    // 4 s at 200/s, 2 s at 800/s, ten times over
    long[] arrivals = arrivals(new double[] {200, 200, 200, 200, 800, 800}, 10, 1);

    WorkloadSpec spec = ArrivalPattern.fit(arrivals);

    assertThat(spec.toSpec()).startsWith("mmpp:");
    double[] rates = numbers(spec.toSpec(), "rates=");
    double[] dwell = numbers(spec.toSpec(), "dwell=");
    assertThat(rates[0]).isBetween(180.0, 220.0);
    assertThat(rates[1]).isBetween(740.0, 860.0);
    assertThat(dwell[0]).isBetween(3.5, 4.5);
    assertThat(dwell[1]).isBetween(1.5, 2.5);
  }

  @Test
  void aSteadyStreamBecomesPoissonAtItsRate() {
    long[] arrivals = arrivals(new double[] {500}, 60, 2);

    WorkloadSpec spec = ArrivalPattern.fit(arrivals);

    assertThat(spec.toSpec()).startsWith("poisson:");
    assertThat(numbers(spec.toSpec(), "rate=")[0]).isBetween(480.0, 520.0);
  }

  @Test
  void lessThanTwoSecondsIsNoPattern() {
    assertThat(ArrivalPattern.fit(new long[0])).isNull();
    assertThat(ArrivalPattern.fit(new long[] {1_000, 1_500, 2_900})).isNull();
  }

  /** Poisson arrivals at {@code ratePerSecond[s]} in second s of each repetition, shuffled. */
  private static long[] arrivals(double[] ratePerSecond, int repetitions, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] out = new long[0];
    int n = 0;
    long second = 0;
    for (int r = 0; r < repetitions; r++) {
      for (double rate : ratePerSecond) {
        double t = 0;
        while (true) {
          t += -Math.log(1 - random.nextDouble()) / rate;
          if (t >= 1) {
            break;
          }
          if (n == out.length) {
            out = Arrays.copyOf(out, Math.max(16, 2 * n));
          }
          out[n++] = 50_000 + second * 1000 + (long) (t * 1000);
        }
        second++;
      }
    }
    long[] shuffled = Arrays.copyOf(out, n);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long x = shuffled[i];
      shuffled[i] = shuffled[j];
      shuffled[j] = x;
    }
    return shuffled;
  }

  private static double[] numbers(String spec, String key) {
    String rest = spec.substring(spec.indexOf(key) + key.length());
    int end = rest.indexOf(',');
    return Arrays.stream((end < 0 ? rest : rest.substring(0, end)).split("/"))
        .mapToDouble(Double::parseDouble)
        .toArray();
  }
}
