package io.surge.cli.demo;

import java.util.Arrays;

/** A growing sample of values with nearest-rank percentiles. */
final class Percentiles {

  private double[] values = new double[256];
  private int count;

  void add(double value) {
    if (count == values.length) {
      values = Arrays.copyOf(values, count * 2);
    }
    values[count++] = value;
  }

  int count() {
    return count;
  }

  /** The q-quantile (0 < q <= 1) by nearest rank, or NaN when empty. */
  double percentile(double q) {
    if (count == 0) {
      return Double.NaN;
    }
    double[] sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * count);
    return sorted[Math.max(0, Math.min(count - 1, rank - 1))];
  }

  Percentiles copy() {
    Percentiles p = new Percentiles();
    p.values = Arrays.copyOf(values, Math.max(1, count));
    p.count = count;
    return p;
  }
}
