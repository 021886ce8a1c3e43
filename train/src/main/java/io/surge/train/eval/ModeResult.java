package io.surge.train.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One policy (in one mode) over all seeds: means over seeds, fractions 0-1.
 *
 * @param perSeedAccuracy effective accuracy per seed, in seed order (for paired differences)
 * @param perSeedSlo SLO attainment per seed, in seed order
 * @param variantMix mean share of the served requests per variant, in action order
 * @param pairedVsBestBaseline per-seed difference to the best baseline; null without a baseline
 */
public record ModeResult(
    double[] perSeedAccuracy,
    double[] perSeedSlo,
    MeanInterval effectiveAccuracy,
    double sloAttainment,
    double shedRate,
    double p99Ms,
    Map<String, Double> variantMix,
    MeanInterval pairedVsBestBaseline) {

  static ModeResult of(List<SeedScores> seeds, List<String> variants) {
    int n = seeds.size();
    double[] accuracy = new double[n];
    double[] perSeedSlo = new double[n];
    double slo = 0;
    double shed = 0;
    double p99 = 0;
    double[] mix = new double[variants.size()];
    for (int i = 0; i < n; i++) {
      SeedScores s = seeds.get(i);
      accuracy[i] = s.effectiveAccuracy();
      perSeedSlo[i] = s.sloAttainment();
      slo += s.sloAttainment() / n;
      shed += s.shedRate() / n;
      p99 += s.p99Ms() / n;
      for (int v = 0; v < mix.length; v++) {
        mix[v] += s.variantMix()[v] / n;
      }
    }
    Map<String, Double> mixByName = new LinkedHashMap<>();
    for (int v = 0; v < mix.length; v++) {
      mixByName.put(variants.get(v), mix[v]);
    }
    return new ModeResult(
        accuracy,
        perSeedSlo,
        MeanInterval.of(accuracy),
        slo,
        shed,
        p99,
        Collections.unmodifiableMap(mixByName),
        null);
  }

  /**
   * Repeated runs of one policy on real parts ({@code surge demo --repeat}), as fractions 0-1: the
   * same figures as over simulator seeds, one value per run.
   */
  public static ModeResult ofRuns(
      double[] accuracy,
      double[] slo,
      double[] shed,
      double[] p99Ms,
      Map<String, Double> variantMix) {
    int n = accuracy.length;
    if (slo.length != n || shed.length != n || p99Ms.length != n) {
      throw new IllegalArgumentException("one value per run for every figure");
    }
    double meanSlo = 0;
    double meanShed = 0;
    double meanP99 = 0;
    for (int i = 0; i < n; i++) {
      meanSlo += slo[i] / n;
      meanShed += shed[i] / n;
      meanP99 += p99Ms[i] / n;
    }
    return new ModeResult(
        accuracy.clone(),
        slo.clone(),
        MeanInterval.of(accuracy),
        meanSlo,
        meanShed,
        meanP99,
        Collections.unmodifiableMap(new LinkedHashMap<>(variantMix)),
        null);
  }

  /** SLO attainment over seeds (or runs) with its 95 % interval. */
  public MeanInterval sloInterval() {
    return MeanInterval.of(perSeedSlo);
  }

  ModeResult withPairedAgainst(ModeResult best) {
    return new ModeResult(
        perSeedAccuracy,
        perSeedSlo,
        effectiveAccuracy,
        sloAttainment,
        shedRate,
        p99Ms,
        variantMix,
        MeanInterval.paired(perSeedAccuracy, best.perSeedAccuracy));
  }
}
