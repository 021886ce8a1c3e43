package io.surge.state.metrics;

import java.util.Arrays;

/**
 * Nearest-rank percentiles, the one definition every report, profile and benchmark uses: the
 * q-quantile is the value of rank {@code ceil(q * n)} among the n sorted values.
 */
public final class Percentiles {

  private Percentiles() {}

  /** The {@code q}-quantile (0..1) of {@code values}; NaN when empty; the array is not changed. */
  public static double of(double[] values, double q) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted(sorted, q);
  }

  /** The {@code q}-quantile of already sorted values; NaN when empty. */
  public static double sorted(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
