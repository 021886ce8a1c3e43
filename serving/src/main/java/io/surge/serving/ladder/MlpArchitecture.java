package io.surge.serving.ladder;

import java.util.List;

/**
 * The shape of one ladder model: a residual MLP on a flattened image.
 *
 * <pre>
 * input [N, C, H, W] -> AveragePool(pool x pool) -> Flatten -> Gemm(stem) -> Relu -> h [N, width]
 * depth times:  h = h + Relu(Gemm(h, block[i mod distinctBlocks]))        (residual block)
 * h -> Gemm(head) -> logits [N, classes]
 * </pre>
 *
 * <p>The blocks cycle through {@code distinctBlocks} weight matrices (weight tying, as in ALBERT):
 * compute grows with {@code depth} while the file grows only with {@code distinctBlocks}, which
 * keeps a ladder of ResNet-like cost ratios small on disk.
 *
 * <p>The average pooling (stride = kernel = {@code pool}) keeps the stem small: without it the stem
 * of a 3x32x32 image would be the largest matrix of the file while doing little compute.
 *
 * @param inputDims per-request input shape (without the batch dimension): [C, H, W]
 * @param pool spatial pooling factor before the stem (1 = none); divides H and W
 * @param width hidden width of every block
 * @param depth number of residual blocks
 * @param distinctBlocks number of distinct block weight matrices (1..depth)
 * @param classes number of output logits
 */
public record MlpArchitecture(
    List<Long> inputDims, int pool, int width, int depth, int distinctBlocks, int classes) {

  public MlpArchitecture {
    inputDims = List.copyOf(inputDims);
    if (inputDims.size() != 3 || inputDims.stream().anyMatch(d -> d <= 0)) {
      throw new IllegalArgumentException(
          "input dims must be three positive values [C, H, W], got " + inputDims);
    }
    if (pool < 1 || inputDims.get(1) % pool != 0 || inputDims.get(2) % pool != 0) {
      throw new IllegalArgumentException(
          "pool must be >= 1 and divide H and W of " + inputDims + ", got " + pool);
    }
    if (width <= 0 || classes <= 0) {
      throw new IllegalArgumentException("width and classes must be positive");
    }
    if (depth < 0) {
      throw new IllegalArgumentException("depth must be >= 0, got " + depth);
    }
    if (distinctBlocks < 1 || (depth > 0 && distinctBlocks > depth)) {
      throw new IllegalArgumentException(
          "distinct blocks must be in 1.." + Math.max(1, depth) + ", got " + distinctBlocks);
    }
  }

  /** Features entering the stem: C * (H / pool) * (W / pool). */
  public long inputFeatures() {
    return inputDims.get(0) * (inputDims.get(1) / pool) * (inputDims.get(2) / pool);
  }

  /** Number of stored weights and biases. */
  public long parameterCount() {
    long stem = inputFeatures() * width + width;
    long blocks = Math.min(depth, distinctBlocks) * ((long) width * width + width);
    long head = (long) width * classes + classes;
    return stem + blocks + head;
  }

  /** Multiply-accumulates per request (one row of the batch). */
  public long macsPerRequest() {
    return inputFeatures() * width + (long) depth * width * width + (long) width * classes;
  }
}
