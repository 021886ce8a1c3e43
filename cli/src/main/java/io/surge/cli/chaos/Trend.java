package io.surge.cli.chaos;

import java.util.List;

/**
 * The least-squares line through a series sampled at times {@code x} (minutes): its slope per
 * minute, the slope's standard error, and whether the series rises significantly — a slope more
 * than two standard errors above zero that also adds more than {@code tolerance} of the series'
 * mean over the sampled span (a tiny but steady rise is not a leak worth failing on).
 */
public record Trend(double slope, double standardError, double mean, double span) {

  /** Fits {@code y} against {@code x}; needs at least three points. */
  public static Trend fit(List<Double> x, List<Double> y) {
    int n = x.size();
    if (n != y.size() || n < 3) {
      throw new IllegalArgumentException("a trend needs at least 3 paired samples, got " + n);
    }
    double mx = x.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double my = y.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double sxx = 0;
    double sxy = 0;
    for (int i = 0; i < n; i++) {
      sxx += (x.get(i) - mx) * (x.get(i) - mx);
      sxy += (x.get(i) - mx) * (y.get(i) - my);
    }
    double slope = sxx == 0 ? 0 : sxy / sxx;
    double residuals = 0;
    for (int i = 0; i < n; i++) {
      double r = y.get(i) - (my + slope * (x.get(i) - mx));
      residuals += r * r;
    }
    double standardError = sxx == 0 ? 0 : Math.sqrt(residuals / (n - 2) / sxx);
    double span = x.get(n - 1) - x.get(0);
    return new Trend(slope, standardError, my, span);
  }

  /** Rises significantly (two standard errors) and by more than {@code tolerance} of the mean. */
  public boolean rises(double tolerance) {
    boolean significant = slope > 2 * standardError;
    boolean material = slope * span > tolerance * Math.abs(mean);
    return significant && material;
  }
}
