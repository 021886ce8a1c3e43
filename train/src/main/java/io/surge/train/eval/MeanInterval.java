package io.surge.train.eval;

/**
 * A mean over seeds and the half-width of its 95 % confidence interval (Student t with n - 1
 * degrees of freedom): the interval is {@code mean ± ci95}; NaN with fewer than two values.
 */
public record MeanInterval(double mean, double ci95) {

  public static MeanInterval of(double[] values) {
    int n = values.length;
    if (n == 0) {
      return new MeanInterval(Double.NaN, Double.NaN);
    }
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    double mean = sum / n;
    if (n < 2) {
      return new MeanInterval(mean, Double.NaN);
    }
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    double standardError = Math.sqrt(squares / (n - 1) / n);
    return new MeanInterval(mean, StudentT.quantile975(n - 1) * standardError);
  }

  /** Per-seed differences {@code a[i] - b[i]}: common random numbers make them far tighter. */
  public static MeanInterval paired(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("paired values need the same seeds");
    }
    double[] differences = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      differences[i] = a[i] - b[i];
    }
    return of(differences);
  }

  public double lower() {
    return mean - ci95;
  }

  public double upper() {
    return mean + ci95;
  }
}
