package io.surge.serving.ladder;

/**
 * One rung of the ladder: a variant, its accuracy and how deep its model is.
 *
 * @param name variant and model name, e.g. {@code resnet50-like}
 * @param accuracy ImageNet top-1 (percent) of the network it stands for
 * @param referenceMs batch-1 latency of that network in the reference measurement (ResNet on a
 *     Jetson Xavier with TensorRT); only the ratios between rungs matter
 * @param depth residual blocks of this rung's model
 */
public record LadderRung(String name, double accuracy, double referenceMs, int depth) {
  public LadderRung {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("rung name must not be blank");
    }
    if (!(accuracy > 0 && accuracy <= 100)) {
      throw new IllegalArgumentException(name + ": accuracy must be in (0, 100], got " + accuracy);
    }
    if (!(referenceMs > 0)) {
      throw new IllegalArgumentException(name + ": referenceMs must be positive");
    }
    if (depth < 1) {
      throw new IllegalArgumentException(name + ": depth must be >= 1, got " + depth);
    }
  }

  public LadderRung withDepth(int newDepth) {
    return new LadderRung(name, accuracy, referenceMs, newDepth);
  }
}
