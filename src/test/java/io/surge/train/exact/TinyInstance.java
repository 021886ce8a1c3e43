package io.surge.train.exact;

/** A small instance for tests: the optimum mixes variants and sheds in bursts. */
final class TinyInstance {

  /**
   * Calm phase: 0.1 arrivals per tick, burst: 0.5; fast 1 tick at 0.7, slow 3 ticks at 0.8;
   * deadline 6 ticks, backlog cap 8. In a burst slow alone would be 1.5 times the capacity.
   */
  static final SingleServerMdp MDP =
      new SingleServerMdp(
          new double[] {0.1, 0.5},
          new double[] {0.02, 0.05},
          new int[] {1, 3},
          new double[] {0.7, 0.8},
          6,
          8);

  private TinyInstance() {}
}
