package io.surge.sim.workload;

import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code flash:base=R,peak=P,every=S,len=S}: Poisson arrivals at {@code base} requests/s with a
 * flash crowd at {@code peak} requests/s for {@code len} seconds at the end of every period of
 * {@code every} seconds: the peak windows are {@code [k*every - len, k*every)} for k = 1, 2, ...,
 * so a run starts calm. Deterministic windows, Poisson arrivals within them. Hidden state: 1 in a
 * peak window, 0 outside.
 */
public record FlashWorkload(double base, double peak, double every, double len)
    implements WorkloadSpec {

  public FlashWorkload {
    if (!(base >= 0) || !(peak > 0) || peak < base || !(len > 0) || !(len < every)) {
      throw new IllegalArgumentException(
          "flash needs 0 <= base <= peak, peak > 0 and 0 < len < every");
    }
  }

  static FlashWorkload parse(String spec, String params) {
    SpecParams p = SpecParams.parse(spec, params, List.of("base", "peak", "every", "len"));
    double base = p.number("base", "R (requests/s outside flash crowds)", true);
    double peak = p.number("peak", "P (requests/s during a flash crowd)", false);
    double every = p.number("every", "S (seconds between flash crowd starts)", false);
    double len = p.number("len", "S (seconds a flash crowd lasts)", false);
    if (peak < base) {
      throw new WorkloadSpecException(
          spec, "peak (" + peak + ") must be at least base (" + base + ")");
    }
    if (len >= every) {
      throw new WorkloadSpecException(
          spec, "len (" + len + ") must be shorter than every (" + every + ")");
    }
    return new FlashWorkload(base, peak, every, len);
  }

  /** True when time {@code t} (seconds) lies in a peak window. */
  public boolean inPeak(double t) {
    double offset = t - Math.floor(t / every) * every;
    return offset >= every - len;
  }

  @Override
  public ArrivalProcess newProcess(long seed) {
    return new PiecewisePoissonProcess(new Windows(), new SplittableRandom(seed));
  }

  @Override
  public double meanRate() {
    return (base * (every - len) + peak * len) / every;
  }

  @Override
  public String toSpec() {
    return "flash:base="
        + Numbers.format(base)
        + ",peak="
        + Numbers.format(peak)
        + ",every="
        + Numbers.format(every)
        + ",len="
        + Numbers.format(len);
  }

  /** Alternating calm and peak segments; segment ends are computed from the period index. */
  private final class Windows implements RateSchedule {
    private long period;
    private boolean peakNow;

    @Override
    public double rate() {
      return peakNow ? peak : base;
    }

    @Override
    public int phase() {
      return peakNow ? 1 : 0;
    }

    @Override
    public double end() {
      return peakNow ? (period + 1) * every : (period + 1) * every - len;
    }

    @Override
    public void advance(SplittableRandom rng) {
      if (peakNow) {
        period++;
      }
      peakNow = !peakNow;
    }

    @Override
    public double meanRate() {
      return FlashWorkload.this.meanRate();
    }
  }
}
