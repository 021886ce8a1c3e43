package io.surge.sim.workload;

import java.util.SplittableRandom;

/** Exponentially distributed draws. */
final class Exponential {

  private Exponential() {}

  /** A draw with the given mean; never zero-length by accident of {@code log(0)}. */
  static double draw(SplittableRandom rng, double mean) {
    return -mean * Math.log1p(-rng.nextDouble());
  }
}
