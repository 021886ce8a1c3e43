package io.surge.train.nn;

import java.util.Arrays;

/**
 * A fixed feature normalisation, the policy model's first layer: {@code clip((x - mean) / std,
 * -clip, clip)}. Clipping bounds what a feature value far outside the training data (a latency
 * spike, a counter that never moved in training) can do to the network.
 */
public final class Normalisation {

  private final double[] mean;
  private final double[] std;
  private final double clip;
  // features from tailFrom on (an extension's, see extendedBy) are clipped to tailClip instead
  private final int tailFrom;
  private final double tailClip;

  Normalisation(double[] mean, double[] std, double clip) {
    this(mean, std, clip, mean.length, clip);
  }

  private Normalisation(double[] mean, double[] std, double clip, int tailFrom, double tailClip) {
    this.mean = mean;
    this.std = std;
    this.clip = clip;
    this.tailFrom = tailFrom;
    this.tailClip = tailClip;
  }

  /**
   * A normalisation read back from a policy model (its first layer), so that a policy can be
   * fine-tuned with exactly the function it is served with.
   *
   * @param clip the bound, or {@link Double#POSITIVE_INFINITY} for none
   */
  public static Normalisation of(double[] mean, double[] std, double clip) {
    if (mean.length != std.length) {
      throw new IllegalArgumentException(mean.length + " means for " + std.length + " stds");
    }
    for (double s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("std must be positive: " + s);
      }
    }
    if (!(clip > 0)) {
      throw new IllegalArgumentException("clip bound must be positive: " + clip);
    }
    return new Normalisation(mean.clone(), std.clone(), clip);
  }

  /** {@code x} unchanged: what a network uses before it has seen data. */
  public static Normalisation identity(int dimension) {
    double[] std = new double[dimension];
    Arrays.fill(std, 1);
    return new Normalisation(new double[dimension], std, Double.POSITIVE_INFINITY);
  }

  /**
   * This normalisation (and its clip) for its own features, followed by {@code longer}'s (and its
   * clip) for the features after them: a warm-started actor keeps exactly the function it is served
   * with, while the features only its critic sees (an asymmetric actor-critic) are normalised from
   * data and stay clipped even when the actor's model has no clip (before any data, raw arrival
   * counts in the thousands wrecked a fresh critic in its first update).
   */
  public Normalisation extendedBy(Normalisation longer) {
    int own = mean.length;
    if (longer.mean.length < own) {
      throw new IllegalArgumentException(
          "cannot extend " + own + " features by a normalisation of " + longer.mean.length);
    }
    double[] m = longer.mean.clone();
    double[] s = longer.std.clone();
    System.arraycopy(mean, 0, m, 0, own);
    System.arraycopy(std, 0, s, 0, own);
    return new Normalisation(m, s, clip, own, longer.clip);
  }

  /** Features this normalisation applies to. */
  public int dimension() {
    return mean.length;
  }

  /** Normalises {@code raw[rawOffset ..]} into {@code out[outOffset ..]}. */
  public void apply(float[] raw, int rawOffset, double[] out, int outOffset) {
    for (int i = 0; i < mean.length; i++) {
      double z = (raw[rawOffset + i] - mean[i]) / std[i];
      double bound = i < tailFrom ? clip : tailClip;
      out[outOffset + i] = Math.max(-bound, Math.min(bound, z));
    }
  }

  public double[] mean() {
    return mean.clone();
  }

  public double[] std() {
    return std.clone();
  }

  public double clip() {
    return clip;
  }
}
