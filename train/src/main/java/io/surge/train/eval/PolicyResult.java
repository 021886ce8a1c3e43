package io.surge.train.eval;

/**
 * One policy token's results.
 *
 * @param token as given on the command line
 * @param kind "baseline", "learned" or "oracle"
 * @param headline the baseline's run, or a model's argmax mode
 * @param sampled a model's sampled mode (as it serves); null for a baseline
 */
public record PolicyResult(String token, String kind, ModeResult headline, ModeResult sampled) {

  public boolean isBaseline() {
    return kind.equals("baseline");
  }
}
