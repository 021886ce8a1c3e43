package io.surge.sim.workload;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code mmpp:rates=R1/R2[/R3],dwell=D1/D2[/D3]}: a Markov-modulated Poisson process with two or
 * three phases. In phase k arrivals are Poisson at {@code R_k} requests/s; the phase lasts an
 * exponential time of mean {@code D_k} seconds, then the process moves to the next phase in cyclic
 * order (0, 1, 2, 0, ...), so a three-phase spec such as {@code 5/20/60} rises and falls through
 * its levels rather than jumping at random. The first phase is drawn from the stationary
 * distribution (probability proportional to {@code D_k}), so a run starts in steady state. Hidden
 * state: the phase index. A phase rate may be zero (an on/off source).
 */
public record MmppWorkload(double[] rates, double[] dwells) implements WorkloadSpec {

  public MmppWorkload {
    rates = rates.clone();
    dwells = dwells.clone();
    if (rates.length < 2 || rates.length > 3 || rates.length != dwells.length) {
      throw new IllegalArgumentException(
          "an MMPP needs 2 or 3 phases, with as many dwell times as rates");
    }
    boolean anyPositive = false;
    for (int k = 0; k < rates.length; k++) {
      if (!(rates[k] >= 0) || !(dwells[k] > 0)) {
        throw new IllegalArgumentException("MMPP rates must be >= 0 and dwell times > 0");
      }
      anyPositive |= rates[k] > 0;
    }
    if (!anyPositive) {
      throw new IllegalArgumentException("an MMPP needs at least one positive rate");
    }
  }

  static MmppWorkload parse(String spec, String params) {
    SpecParams p = SpecParams.parse(spec, params, List.of("rates", "dwell"));
    double[] rates = p.numberList("rates", "R1/R2[/R3] (requests/s per phase)", true);
    double[] dwells = p.numberList("dwell", "D1/D2[/D3] (mean seconds in each phase)", false);
    if (rates.length < 2 || rates.length > 3) {
      throw new WorkloadSpecException(spec, "rates needs 2 or 3 phases, got " + rates.length);
    }
    if (dwells.length != rates.length) {
      throw new WorkloadSpecException(
          spec,
          "dwell needs one value per phase: "
              + rates.length
              + " rates, "
              + dwells.length
              + " dwell times");
    }
    if (Arrays.stream(rates).allMatch(r -> r == 0)) {
      throw new WorkloadSpecException(spec, "at least one phase rate must be greater than zero");
    }
    return new MmppWorkload(rates, dwells);
  }

  @Override
  public double[] rates() {
    return rates.clone();
  }

  @Override
  public double[] dwells() {
    return dwells.clone();
  }

  public int phaseCount() {
    return rates.length;
  }

  @Override
  public ArrivalProcess newProcess(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    return new PiecewisePoissonProcess(new Phases(rates, dwells, rng), rng);
  }

  /** Time-weighted mean of the phase rates: {@code sum(R_k D_k) / sum(D_k)}. */
  @Override
  public double meanRate() {
    double weighted = 0;
    double total = 0;
    for (int k = 0; k < rates.length; k++) {
      weighted += rates[k] * dwells[k];
      total += dwells[k];
    }
    return weighted / total;
  }

  @Override
  public String toSpec() {
    return "mmpp:rates=" + Numbers.join(rates) + ",dwell=" + Numbers.join(dwells);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MmppWorkload m
        && Arrays.equals(rates, m.rates)
        && Arrays.equals(dwells, m.dwells);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(rates) + Arrays.hashCode(dwells);
  }

  @Override
  public String toString() {
    return toSpec();
  }

  /** The phase path: cyclic order, exponential dwell times. */
  private static final class Phases implements RateSchedule {
    private final double[] rates;
    private final double[] dwells;
    private final double meanRate;
    private int phase;
    private double end;

    Phases(double[] rates, double[] dwells, SplittableRandom rng) {
      this.rates = rates;
      this.dwells = dwells;
      this.meanRate = new MmppWorkload(rates, dwells).meanRate();
      this.phase = stationaryPhase(dwells, rng);
      this.end = Exponential.draw(rng, dwells[phase]);
    }

    private static int stationaryPhase(double[] dwells, SplittableRandom rng) {
      double total = 0;
      for (double d : dwells) {
        total += d;
      }
      double u = rng.nextDouble() * total;
      for (int k = 0; k < dwells.length - 1; k++) {
        u -= dwells[k];
        if (u < 0) {
          return k;
        }
      }
      return dwells.length - 1;
    }

    @Override
    public double rate() {
      return rates[phase];
    }

    @Override
    public int phase() {
      return phase;
    }

    @Override
    public double end() {
      return end;
    }

    @Override
    public void advance(SplittableRandom rng) {
      phase = (phase + 1) % rates.length;
      end += Exponential.draw(rng, dwells[phase]);
    }

    @Override
    public double meanRate() {
      return meanRate;
    }
  }
}
