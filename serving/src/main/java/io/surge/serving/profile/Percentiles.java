package io.surge.serving.profile;

import java.util.Arrays;

/** Nearest-rank percentiles of latency samples. */
public final class Percentiles {

  private Percentiles() {}

  /** The {@code q}-quantile (0..1) of {@code values}, nearest rank; the array is not changed. */
  public static double of(double[] values, double q) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted(sorted, q);
  }

  /** The {@code q}-quantile of already sorted values, nearest rank. */
  public static double sorted(double[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
