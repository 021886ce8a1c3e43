package io.surge.serving.ladder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits the ladder's depths to the machine it runs on. A ladder model costs about {@code a + b *
 * depth} at batch 1 (a: pooling, stem, head and run overhead; b: one residual block), so two probe
 * models of the table's width at two depths give a and b; each rung's depth is then the one whose
 * predicted latency is the smallest rung's target times the rung's reference ratio. Given the two
 * measurements the result is deterministic.
 */
public final class LadderCalibrator {

  static final int SHALLOW_PROBE = 16;
  static final int DEEP_PROBE = 96;
  private static final long PROBE_SEED = 1;

  /**
   * Measured batch-1 cost of a model of the table's shape.
   *
   * @param fixedMs everything but the residual blocks
   * @param perBlockMs one residual block
   */
  public record CostModel(double fixedMs, double perBlockMs) {
    public CostModel {
      if (!(perBlockMs > 0)) {
        throw new IllegalArgumentException(
            "per-block cost must be positive, got " + perBlockMs + " ms (measurement too noisy?)");
      }
    }

    /** Fits a and b through two (depth, ms) points. */
    public static CostModel fit(int depth1, double ms1, int depth2, double ms2) {
      double perBlock = (ms2 - ms1) / (depth2 - depth1);
      return new CostModel(Math.max(0, ms1 - perBlock * depth1), perBlock);
    }

    public double predictMs(int depth) {
      return fixedMs + perBlockMs * depth;
    }

    /** The depth whose predicted latency is nearest {@code targetMs}, at least {@code min}. */
    public int depthFor(double targetMs, int min) {
      return Math.max(min, (int) Math.round((targetMs - fixedMs) / perBlockMs));
    }
  }

  private LadderCalibrator() {}

  /** Builds the two probes in {@code workDir} and measures their batch-1 median latency. */
  public static CostModel measureCost(
      LadderTable table, DirectOrtBenchmark.Settings settings, Path workDir) {
    double shallow = probeMs(table, SHALLOW_PROBE, settings, workDir);
    double deep = probeMs(table, DEEP_PROBE, settings, workDir);
    return CostModel.fit(SHALLOW_PROBE, shallow, DEEP_PROBE, deep);
  }

  /**
   * Depths that put the first rung at {@code smallestTargetMs} and the others at the reference
   * ratios, according to {@code cost}.
   */
  public static List<Integer> depthsFor(
      LadderTable table, CostModel cost, double smallestTargetMs) {
    List<Integer> depths = new ArrayList<>();
    for (int i = 0; i < table.rungs().size(); i++) {
      depths.add(cost.depthFor(smallestTargetMs * table.referenceRatio(i), 1));
    }
    return depths;
  }

  /** Measures this machine and returns {@code table} with fitted depths. */
  public static LadderTable calibrate(
      LadderTable table, double smallestTargetMs, DirectOrtBenchmark.Settings settings) {
    Path workDir = createTempDir();
    try {
      CostModel cost = measureCost(table, settings, workDir);
      return table.withDepths(depthsFor(table, cost, smallestTargetMs));
    } finally {
      deleteQuietly(workDir);
    }
  }

  private static double probeMs(
      LadderTable table, int depth, DirectOrtBenchmark.Settings settings, Path workDir) {
    LadderRung probe = new LadderRung("probe-" + depth, 50, 1, depth);
    Path file = workDir.resolve(probe.name() + ".onnx");
    try {
      Files.write(
          file,
          LadderModels.residualMlp(
                  probe.name(), table.architecture(probe, 1.0), new SeededWeights(PROBE_SEED))
              .toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write probe model " + file, e);
    }
    return DirectOrtBenchmark.measure(file, settings, 1).get(0).medianMs();
  }

  private static Path createTempDir() {
    try {
      return Files.createTempDirectory("surge-calibration");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a calibration directory", e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // Only temporary probe files are left behind; nothing depends on them.
    }
  }
}
