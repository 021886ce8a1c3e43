package io.surge.serving.ladder;

import java.util.SplittableRandom;

/**
 * Deterministic weights: each tensor draws from its own stream, derived from the ladder seed, the
 * model name and the tensor name, so a tensor's values do not depend on the order in which tensors
 * are generated and the same seed always gives the same bytes.
 */
final class SeededWeights {

  private static final double SQRT_3 = Math.sqrt(3.0);
  private final long seed;

  SeededWeights(long seed) {
    this.seed = seed;
  }

  /** {@code count} values uniform in (-a, a) with standard deviation {@code std}. */
  float[] uniform(String model, String tensor, int count, double std) {
    SplittableRandom random = new SplittableRandom(streamSeed(model, tensor));
    double bound = std * SQRT_3;
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) ((2.0 * random.nextDouble() - 1.0) * bound);
    }
    return values;
  }

  private long streamSeed(String model, String tensor) {
    long h = seed;
    h = h * 0x9E3779B97F4A7C15L + model.hashCode();
    h = h * 0x9E3779B97F4A7C15L + tensor.hashCode();
    return h;
  }
}
