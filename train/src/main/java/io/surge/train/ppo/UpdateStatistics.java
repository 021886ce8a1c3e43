package io.surge.train.ppo;

/** Sums of per-sample diagnostics over an update, for the progress report. */
final class UpdateStatistics {
  double policyLoss;
  double valueLoss;
  double entropy;
  double approximateKl;
  double clipped;
  long samples;

  void clear() {
    policyLoss = valueLoss = entropy = approximateKl = clipped = 0;
    samples = 0;
  }

  double mean(double sum) {
    return samples == 0 ? 0 : sum / samples;
  }
}
