package io.surge.sim.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A measured delay as an empirical distribution: its quantiles ({@code quantiles[i]} is the
 * probability, {@code valuesMs[i]} the delay at it), from 0 to 1, sampled by inverse transform with
 * linear interpolation between quantiles. JSON: {@code {"quantiles": [0, 0.5, 0.99, 1],
 * "values_ms": [1.0, 2.0, 6.5, 15.0]}}.
 */
public record DelayDistribution(double[] quantiles, double[] valuesMs) {

  @JsonCreator
  public DelayDistribution(
      @JsonProperty("quantiles") double[] quantiles, @JsonProperty("values_ms") double[] valuesMs) {
    this.quantiles = quantiles.clone();
    this.valuesMs = valuesMs.clone();
    if (quantiles.length < 1 || quantiles.length != valuesMs.length) {
      throw new IllegalArgumentException("a delay needs as many values_ms as quantiles (>= 1)");
    }
    if (quantiles.length > 1 && (quantiles[0] != 0 || quantiles[quantiles.length - 1] != 1)) {
      throw new IllegalArgumentException("quantiles must run from 0 to 1: " + str(quantiles));
    }
    for (int i = 0; i < quantiles.length; i++) {
      if (!(valuesMs[i] >= 0) || !Double.isFinite(valuesMs[i])) {
        throw new IllegalArgumentException("delays must be finite and >= 0 ms: " + str(valuesMs));
      }
      if (i > 0 && (quantiles[i] <= quantiles[i - 1] || valuesMs[i] < valuesMs[i - 1])) {
        throw new IllegalArgumentException(
            "quantiles must increase and values_ms not decrease: "
                + str(quantiles)
                + " / "
                + str(valuesMs));
      }
    }
  }

  /** Always {@code ms}. */
  public static DelayDistribution constant(double ms) {
    return new DelayDistribution(new double[] {0, 1}, new double[] {ms, ms});
  }

  /** A draw in nanoseconds. */
  long sampleNanos(SplittableRandom rng) {
    return Math.round(valueAt(rng.nextDouble()) * 1e6);
  }

  /** The delay at probability {@code u} (0..1), interpolating between quantiles. */
  public double valueAt(double u) {
    if (quantiles.length == 1) {
      return valuesMs[0];
    }
    int i = 1;
    while (i < quantiles.length - 1 && quantiles[i] < u) {
      i++;
    }
    double f = (u - quantiles[i - 1]) / (quantiles[i] - quantiles[i - 1]);
    return valuesMs[i - 1] + f * (valuesMs[i] - valuesMs[i - 1]);
  }

  /** The median, in milliseconds. */
  public double medianMs() {
    return valueAt(0.5);
  }

  @Override
  public double[] quantiles() {
    return quantiles.clone();
  }

  @Override
  @JsonProperty("values_ms")
  public double[] valuesMs() {
    return valuesMs.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DelayDistribution d
        && Arrays.equals(quantiles, d.quantiles)
        && Arrays.equals(valuesMs, d.valuesMs);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(quantiles) + Arrays.hashCode(valuesMs);
  }

  @Override
  public String toString() {
    return "DelayDistribution[q=" + str(quantiles) + ", ms=" + str(valuesMs) + "]";
  }

  private static String str(double[] a) {
    return Arrays.toString(a);
  }
}
