package io.surge.train.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One policy (in one mode) over all seeds: means over seeds, fractions 0-1.
 *
 * @param perSeedAccuracy effective accuracy per seed, in seed order (for paired differences)
 * @param variantMix mean share of the served requests per variant, in action order
 * @param pairedVsBestBaseline per-seed difference to the best baseline; null without a baseline
 */
public record ModeResult(
    double[] perSeedAccuracy,
    MeanInterval effectiveAccuracy,
    double sloAttainment,
    double shedRate,
    double p99Ms,
    Map<String, Double> variantMix,
    MeanInterval pairedVsBestBaseline) {

  static ModeResult of(List<SeedScores> seeds, List<String> variants) {
    int n = seeds.size();
    double[] accuracy = new double[n];
    double slo = 0;
    double shed = 0;
    double p99 = 0;
    double[] mix = new double[variants.size()];
    for (int i = 0; i < n; i++) {
      SeedScores s = seeds.get(i);
      accuracy[i] = s.effectiveAccuracy();
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
        MeanInterval.of(accuracy),
        slo,
        shed,
        p99,
        Collections.unmodifiableMap(mixByName),
        null);
  }

  ModeResult withPairedAgainst(ModeResult best) {
    return new ModeResult(
        perSeedAccuracy,
        effectiveAccuracy,
        sloAttainment,
        shedRate,
        p99Ms,
        variantMix,
        MeanInterval.paired(perSeedAccuracy, best.perSeedAccuracy));
  }
}
