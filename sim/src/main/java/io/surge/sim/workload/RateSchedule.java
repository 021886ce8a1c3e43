package io.surge.sim.workload;

import java.util.SplittableRandom;

/**
 * A piecewise-constant arrival rate: the current segment's rate, phase and end time, and a way to
 * move to the next segment. Implementations hold their own mutable position.
 */
interface RateSchedule {

  /** Rate of the current segment in requests/s (zero allowed). */
  double rate();

  /** Phase index of the current segment (the hidden state). */
  int phase();

  /** End of the current segment in seconds; {@link Double#POSITIVE_INFINITY} for the last. */
  double end();

  /** Moves to the next segment, which starts at the current {@link #end()}. */
  void advance(SplittableRandom rng);

  /** Long-run mean rate in requests/s. */
  double meanRate();
}
