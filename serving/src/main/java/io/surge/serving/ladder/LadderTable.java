package io.surge.serving.ladder;

import java.util.List;
import java.util.stream.IntStream;

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
   * The calibrated image-classification ladder.
   *
   * <p>Calibration (2026-11-26, the project's 2-core AMD EPYC Zen 5 VM with AVX-512, 32 MiB L3,
   * shared with five other busy processes; ONNX Runtime 1.29.0 in process, one intra-op thread,
   * batch 1, the five rungs measured interleaved by {@link LadderCalibrator} on the median CPU time
   * of the running thread): a model of this shape costs {@code a + b * depth} with a = 0.60 ms
   * (pooling, stem, head, caches refilled after the other models ran, run overhead) and b = 0.0445
   * ms per residual block of width 1024 (least squares over the rungs, three calibrations of two
   * steps each, fitted a in 0.54..0.62, b in 0.043..0.045). Depth = round((2.5 ms * ratio - a) / b)
   * puts the smallest rung at about 2.5 ms and the others at the batch-1 ratios of
   * ResNet-18/34/50/101/152 on a Jetson Xavier with TensorRT (1.64, 2.79, 3.37, 6.04, 8.57 ms).
   */
  public static LadderTable imageClassification() {
    return new LadderTable(
        List.of(3L, 32L, 32L),
        4,
        1024,
        2,
        1000,
        List.of(
            new LadderRung("resnet18-like", 69.76, 1.64, 43),
            new LadderRung("resnet34-like", 73.31, 2.79, 82),
            new LadderRung("resnet50-like", 76.13, 3.37, 102),
            new LadderRung("resnet101-like", 77.37, 6.04, 193),
            new LadderRung("resnet152-like", 78.31, 8.57, 280)));
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
        IntStream.range(0, rungs.size())
            .mapToObj(i -> rungs.get(i).withDepth(depths.get(i)))
            .toList();
    return new LadderTable(inputDims, pool, width, distinctBlocks, classes, updated);
  }

  /** Batch-1 latency of each rung relative to the first, in the reference measurement. */
  public double referenceRatio(int rung) {
    return rungs.get(rung).referenceMs() / rungs.get(0).referenceMs();
  }
}
