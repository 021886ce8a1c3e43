package io.surge.train.ppo;

/**
 * Running mean and standard deviation of the critic's targets (the returns), so the critic learns
 * {@code (R - mean) / std} instead of R (Andrychowicz et al. 2021, "What matters in on-policy RL";
 * MAPPO's value normalisation). With a discount horizon in seconds, a return sums hundreds to
 * thousands of decisions' rewards (about 300-1,300 at 1-4 k decisions/s), while one action changes
 * it by a fraction of one reward: an unnormalised critic spends the run chasing that scale with a
 * clipped gradient, and its error swamps the advantages the actor learns from.
 *
 * <p>Statistics are exponential moving averages over updates, debiased as in Adam, so the first
 * update already has the right scale and later ones follow the returns as the policy improves.
 */
final class ValueNormaliser {

  /** Weight of the past per update: an average over the last ~1,000 updates, i.e. the whole run. */
  private static final double DECAY = 0.999;

  /** The scale never falls below this: returns that did not vary are not blown up. */
  private static final double MIN_STD = 1e-2;

  private double mean;
  private double meanOfSquares;
  private double debias;

  /** Folds the returns {@code values[0 .. count)} of one update in. */
  void observe(double[] values, int count) {
    if (count == 0) {
      return;
    }
    double sum = 0;
    double sumOfSquares = 0;
    for (int i = 0; i < count; i++) {
      sum += values[i];
      sumOfSquares += values[i] * values[i];
    }
    mean = DECAY * mean + (1 - DECAY) * (sum / count);
    meanOfSquares = DECAY * meanOfSquares + (1 - DECAY) * (sumOfSquares / count);
    debias = DECAY * debias + (1 - DECAY);
  }

  /** The running mean; 0 before anything was observed. */
  double shift() {
    return debias == 0 ? 0 : mean / debias;
  }

  /** The running standard deviation, at least {@link #MIN_STD}; 1 before anything was observed. */
  double scale() {
    if (debias == 0) {
      return 1;
    }
    double m = shift();
    return Math.sqrt(Math.max(MIN_STD * MIN_STD, meanOfSquares / debias - m * m));
  }
}
