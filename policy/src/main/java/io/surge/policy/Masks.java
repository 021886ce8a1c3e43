package io.surge.policy;

/** Small helpers over action masks (1 allowed, 0 not; shed last and always allowed). */
public final class Masks {

  private Masks() {}

  public static boolean allowed(float[] mask, int action) {
    return mask[action] > 0.5f;
  }

  /** The most accurate allowed variant at or below {@code from}, or -1. */
  public static int highestAllowedAtOrBelow(float[] mask, int from) {
    for (int v = from; v >= 0; v--) {
      if (allowed(mask, v)) {
        return v;
      }
    }
    return -1;
  }

  /** The least accurate allowed variant at or above {@code from} (variants only), or -1. */
  public static int lowestAllowedAtOrAbove(float[] mask, int from, int variants) {
    for (int v = Math.max(0, from); v < variants; v++) {
      if (allowed(mask, v)) {
        return v;
      }
    }
    return -1;
  }
}
