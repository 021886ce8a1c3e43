package io.surge.train.nn;

/**
 * Running per-feature mean and variance of raw observations (Welford's algorithm, numerically
 * stable in one pass), and the frozen {@link Normalisation} taken from them. The learner folds each
 * rollout in after using it and freezes a new normalisation between updates, so one update's
 * inputs, behaviour and targets all see the same function.
 */
public final class ObservationNormaliser {

  private final int dimension;
  private final double stdFloor;
  private final double clip;
  private final double[] mean;
  private final double[] m2;
  private long count;

  /**
   * @param stdFloor smallest standard deviation divided by (a feature that never varied would
   *     otherwise divide by zero)
   * @param clip normalised features are clipped to {@code [-clip, clip]}
   */
  public ObservationNormaliser(int dimension, double stdFloor, double clip) {
    if (!(stdFloor > 0) || !(clip > 0)) {
      throw new IllegalArgumentException("std floor and clip must be positive");
    }
    this.dimension = dimension;
    this.stdFloor = stdFloor;
    this.clip = clip;
    this.mean = new double[dimension];
    this.m2 = new double[dimension];
  }

  public void observe(float[] observations, int offset) {
    count++;
    for (int i = 0; i < dimension; i++) {
      double x = observations[offset + i];
      double d = x - mean[i];
      mean[i] += d / count;
      m2[i] += d * (x - mean[i]);
    }
  }

  /**
   * The current statistics as a fixed function; identity (mean 0, std 1) before any data. Mean and
   * std are rounded to float32, the precision the policy model stores them in: the learner then
   * trains with exactly the normalisation that is served. (Rounding only at export would shift a
   * feature whose mean is large against its spread by up to {@code 6e-8 |mean| / std}.)
   */
  public Normalisation freeze() {
    double[] frozenMean = new double[dimension];
    double[] std = new double[dimension];
    for (int i = 0; i < dimension; i++) {
      double variance = count > 1 ? m2[i] / count : 1;
      frozenMean[i] = (float) mean[i];
      std[i] = (float) Math.max(Math.sqrt(variance), stdFloor);
    }
    return new Normalisation(frozenMean, std, clip);
  }
}
