package io.surge.train.eval;

import io.surge.state.metrics.Scoreboard;

/**
 * One policy's figures on one seed, as fractions (the catalog's accuracies are percentages).
 *
 * @param variantMix share of the served (not shed) requests per variant, in action order
 */
record SeedScores(
    double effectiveAccuracy,
    double sloAttainment,
    double shedRate,
    double p99Ms,
    double[] variantMix) {

  static SeedScores of(Scoreboard.Summary summary) {
    return new SeedScores(
        summary.effectiveAccuracy() / 100,
        summary.sloAttainment(),
        summary.shedRate(),
        summary.p99LatencyMs(),
        summary.variantMix().clone());
  }
}
