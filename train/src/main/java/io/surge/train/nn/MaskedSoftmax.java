package io.surge.train.nn;

/**
 * The softmax over the allowed actions only, as the exported model computes it (DESIGN.md section
 * 6): a masked action (mask value at most 0.5) gets probability exactly 0 and takes no part in the
 * normalisation. Shed, the last action, is always allowed by contract, so the allowed set is never
 * empty.
 */
public final class MaskedSoftmax {

  private MaskedSoftmax() {}

  public static boolean allowed(float[] mask, int maskOffset, int action) {
    return mask[maskOffset + action] > 0.5f;
  }

  /** {@code log sum exp} of the allowed logits (stable: shifted by their maximum). */
  public static double logNormaliser(double[] logits, float[] mask, int maskOffset) {
    double max = Double.NEGATIVE_INFINITY;
    for (int a = 0; a < logits.length; a++) {
      if (allowed(mask, maskOffset, a) && logits[a] > max) {
        max = logits[a];
      }
    }
    if (max == Double.NEGATIVE_INFINITY) {
      throw new IllegalArgumentException("no allowed action: shed must always be allowed");
    }
    double sum = 0;
    for (int a = 0; a < logits.length; a++) {
      if (allowed(mask, maskOffset, a)) {
        sum += StrictMath.exp(logits[a] - max);
      }
    }
    return max + StrictMath.log(sum);
  }

  /**
   * Writes the action probabilities into {@code probabilities} and returns the log normaliser, so
   * {@code log p(a) = logits[a] - result} for an allowed {@code a}.
   */
  public static double probabilities(
      double[] logits, float[] mask, int maskOffset, double[] probabilities) {
    double logZ = logNormaliser(logits, mask, maskOffset);
    for (int a = 0; a < logits.length; a++) {
      probabilities[a] = allowed(mask, maskOffset, a) ? StrictMath.exp(logits[a] - logZ) : 0;
    }
    return logZ;
  }
}
