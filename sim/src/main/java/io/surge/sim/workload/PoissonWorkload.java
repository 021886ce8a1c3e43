package io.surge.sim.workload;

import java.util.List;
import java.util.SplittableRandom;

/** {@code poisson:rate=R}: a homogeneous Poisson process, R requests/s. Hidden state: always 0. */
public record PoissonWorkload(double rate) implements WorkloadSpec {

  public PoissonWorkload {
    if (!(rate > 0) || !Double.isFinite(rate)) {
      throw new IllegalArgumentException("Poisson rate must be a positive number, got " + rate);
    }
  }

  static PoissonWorkload parse(String spec, String params) {
    SpecParams p = SpecParams.parse(spec, params, List.of("rate"));
    return new PoissonWorkload(p.number("rate", "R (requests/s)", false));
  }

  @Override
  public ArrivalProcess newProcess(long seed) {
    return new PiecewisePoissonProcess(new Constant(rate), new SplittableRandom(seed));
  }

  @Override
  public double meanRate() {
    return rate;
  }

  @Override
  public String toSpec() {
    return "poisson:rate=" + Numbers.format(rate);
  }

  /** One endless segment. */
  private record Constant(double rate) implements RateSchedule {
    @Override
    public int phase() {
      return 0;
    }

    @Override
    public double end() {
      return Double.POSITIVE_INFINITY;
    }

    @Override
    public void advance(SplittableRandom rng) {
      throw new IllegalStateException("a constant rate has no next segment");
    }

    @Override
    public double meanRate() {
      return rate;
    }
  }
}
