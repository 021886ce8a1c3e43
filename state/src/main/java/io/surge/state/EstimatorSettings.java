package io.surge.state;

import java.util.Arrays;
import java.util.Locale;

/**
 * Parameters of the workload estimators and of the observation history. They change what the
 * features mean, so they are part of the {@link ObservationSpec} and of its hash.
 *
 * @param rateTimeConstantsMs time constants of the decayed arrival-rate estimators, one feature
 *     each
 * @param gapAlpha EWMA weight per arrival of the inter-arrival gap moments (variability)
 * @param latencyAlpha EWMA weight per completion of the latency estimates
 * @param lateAlpha EWMA weight per completion of the late/timeout rates
 * @param rewardAlpha EWMA weight per decided request of the recent reward
 * @param shedAlpha EWMA weight per decided request of the shed rate
 * @param historyLength number of previous frames stacked after the current one (0: no history)
 */
public record EstimatorSettings(
    double[] rateTimeConstantsMs,
    double gapAlpha,
    double latencyAlpha,
    double lateAlpha,
    double rewardAlpha,
    double shedAlpha,
    int historyLength) {

  public EstimatorSettings {
    rateTimeConstantsMs = rateTimeConstantsMs.clone();
    if (rateTimeConstantsMs.length == 0) {
      throw new IllegalArgumentException("at least one rate time constant is needed");
    }
    for (double tau : rateTimeConstantsMs) {
      if (!(tau > 0)) {
        throw new IllegalArgumentException("rate time constants must be positive: " + tau);
      }
    }
    checkAlpha("gapAlpha", gapAlpha);
    checkAlpha("latencyAlpha", latencyAlpha);
    checkAlpha("lateAlpha", lateAlpha);
    checkAlpha("rewardAlpha", rewardAlpha);
    checkAlpha("shedAlpha", shedAlpha);
    if (historyLength < 0) {
      throw new IllegalArgumentException("historyLength must be >= 0: " + historyLength);
    }
  }

  /**
   * 100 ms, 1 s and 10 s rates; no frames of history. The ablation in docs/BENCHMARKS.md trained
   * the same policy with four frames and without: with the same step budget, the one without
   * history did as well or better on every evaluation scenario (the multi-scale rate estimators
   * already summarise the recent past), so the shipped policy and the job's default use none.
   */
  public static EstimatorSettings defaults() {
    return new EstimatorSettings(new double[] {100, 1_000, 10_000}, 0.05, 0.1, 0.1, 0.05, 0.05, 0);
  }

  /** The ablation of the multi-scale rate estimators: one arrival rate at 1 s instead of three. */
  public static final double[] SINGLE_RATE_SCALE_MS = {1_000};

  /** These settings with other rate time constants (e.g. {@link #SINGLE_RATE_SCALE_MS}). */
  public EstimatorSettings withRateTimeConstantsMs(double... timeConstantsMs) {
    return new EstimatorSettings(
        timeConstantsMs, gapAlpha, latencyAlpha, lateAlpha, rewardAlpha, shedAlpha, historyLength);
  }

  public EstimatorSettings withHistoryLength(int k) {
    return new EstimatorSettings(
        rateTimeConstantsMs, gapAlpha, latencyAlpha, lateAlpha, rewardAlpha, shedAlpha, k);
  }

  @Override
  public double[] rateTimeConstantsMs() {
    return rateTimeConstantsMs.clone();
  }

  public int rateScales() {
    return rateTimeConstantsMs.length;
  }

  public double rateTimeConstantMs(int scale) {
    return rateTimeConstantsMs[scale];
  }

  /** Canonical text of the parameters that shape the features (hashed into the spec). */
  String canonical() {
    return String.format(
        Locale.ROOT,
        "rates_ms=%s;gap_alpha=%s;latency_alpha=%s;late_alpha=%s;reward_alpha=%s;shed_alpha=%s",
        Arrays.toString(rateTimeConstantsMs),
        gapAlpha,
        latencyAlpha,
        lateAlpha,
        rewardAlpha,
        shedAlpha);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EstimatorSettings e
        && Arrays.equals(rateTimeConstantsMs, e.rateTimeConstantsMs)
        && gapAlpha == e.gapAlpha
        && latencyAlpha == e.latencyAlpha
        && lateAlpha == e.lateAlpha
        && rewardAlpha == e.rewardAlpha
        && shedAlpha == e.shedAlpha
        && historyLength == e.historyLength;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(rateTimeConstantsMs) * 31 + canonical().hashCode() + historyLength;
  }

  @Override
  public String toString() {
    return canonical() + ";history=" + historyLength;
  }

  private static void checkAlpha(String name, double alpha) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException(name + " must be in (0, 1]: " + alpha);
    }
  }
}
