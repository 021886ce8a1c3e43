package io.surge.cli.demo;

import io.surge.state.metrics.Percentiles;
import java.util.Arrays;

/** A growing sample of values with nearest-rank percentiles. */
final class Samples {

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
    return Percentiles.of(Arrays.copyOf(values, count), q);
  }

  /** Every value of {@code parts} in one sample. */
  static Samples pooled(java.util.List<Samples> parts) {
    Samples all = new Samples();
    for (Samples part : parts) {
      for (int i = 0; i < part.count; i++) {
        all.add(part.values[i]);
      }
    }
    return all;
  }

  Samples copy() {
    Samples p = new Samples();
    p.values = Arrays.copyOf(values, Math.max(1, count));
    p.count = count;
    return p;
  }
}
