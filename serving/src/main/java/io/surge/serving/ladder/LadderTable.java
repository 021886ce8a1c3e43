package io.surge.serving.ladder;

import java.util.List;

/**
 * The ladder's shape: the architecture shared by every rung and the rungs themselves.
 *
 * @param inputDims per-request input shape [C, H, W]
 * @param pool spatial average pooling before the stem
 * @param width hidden width at scale 1
 * @param distinctBlocks distinct block weight matrices per model (weight tying)
 * @param classes logits per request
 * @param rungs from the least to the most accurate
 */
public record LadderTable(
    List<Long> inputDims,
    int pool,
    int width,
    int distinctBlocks,
    int classes,
    List<LadderRung> rungs) {

  /**
   * The calibrated image-classification ladder. Depths were set from measurements on the project's
   * 2-core AMD EPYC (Zen 5, AVX-512) machine, ONNX Runtime 1.29.0 in process, 1 intra-op thread,
   * median batch-1 latency (see {@link LadderCalibrator}): a model of this shape costs about {@code
   * a + b * depth} ms with a = 0.26 ms (pool, stem, head, run overhead) and b = 0.047 ms per
   * residual block of width 1024. The depths put the smallest rung at about 2.5 ms and the others
   * at the ResNet-18/34/50/101/152 ratios measured on a Jetson Xavier with TensorRT (1.64, 2.79,
   * 3.37, 6.04, 8.57 ms).
   */
  public static LadderTable imageClassification() {
    return new LadderTable(
        List.of(3L, 32L, 32L),
        4,
        1024,
        2,
        1000,
        List.of(
            new LadderRung("resnet18-like", 69.76, 1.64, 48),
            new LadderRung("resnet34-like", 73.31, 2.79, 85),
            new LadderRung("resnet50-like", 76.13, 3.37, 104),
            new LadderRung("resnet101-like", 77.37, 6.04, 190),
            new LadderRung("resnet152-like", 78.31, 8.57, 272)));
  }

  public LadderTable {
    inputDims = List.copyOf(inputDims);
    rungs = List.copyOf(rungs);
    if (rungs.isEmpty()) {
      throw new IllegalArgumentException("a ladder needs at least one rung");
    }
    for (int i = 1; i < rungs.size(); i++) {
      if (rungs.get(i).accuracy() < rungs.get(i - 1).accuracy()) {
        throw new IllegalArgumentException("rungs must be ordered by increasing accuracy");
      }
    }
    // Validates the shared shape once (fields are not assigned yet: use the parameters).
    new MlpArchitecture(inputDims, pool, width, distinctBlocks, distinctBlocks, classes);
  }

  /** The architecture of one rung at a width scale (1 = full size). */
  public MlpArchitecture architecture(LadderRung rung, double scale) {
    int scaledWidth = Math.max(8, (int) Math.round(width * scale));
    return new MlpArchitecture(
        inputDims,
        pool,
        scaledWidth,
        rung.depth(),
        Math.min(distinctBlocks, rung.depth()),
        classes);
  }

  /** The same table with new depths, in rung order. */
  public LadderTable withDepths(List<Integer> depths) {
    if (depths.size() != rungs.size()) {
      throw new IllegalArgumentException("need " + rungs.size() + " depths, got " + depths.size());
    }
    List<LadderRung> updated =
        java.util.stream.IntStream.range(0, rungs.size())
            .mapToObj(i -> rungs.get(i).withDepth(depths.get(i)))
            .toList();
    return new LadderTable(inputDims, pool, width, distinctBlocks, classes, updated);
  }

  /** Batch-1 latency of each rung relative to the first, in the reference measurement. */
  public double referenceRatio(int rung) {
    return rungs.get(rung).referenceMs() / rungs.get(0).referenceMs();
  }
}
