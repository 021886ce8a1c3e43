package io.surge.serving.ladder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.io.FileUtils;

/**
 * Fits the ladder's depths to the machine it runs on. A ladder model costs about {@code a + b *
 * depth} ms at batch 1 (a: pooling, stem, head, cold caches and run overhead; b: one residual
 * block). The calibrator writes the ladder at full scale, measures the batch-1 median of every rung
 * interleaved ({@link DirectOrtBenchmark#compareModels}; the median CPU time of the running thread,
 * which other processes on a shared machine disturb far less than wall time), fits a and b by least
 * squares over the rungs, and sets each rung's depth to the one whose predicted latency is the
 * smallest rung's target times the rung's reference ratio. Given the measurements the result is
 * deterministic.
 */
public final class LadderCalibrator {

  private static final long CALIBRATION_SEED = 1;

  /**
   * Batch-1 cost of a ladder model: {@code fixedMs + perBlockMs * depth}.
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

    /** Least-squares line through (depth, ms) points; the fixed part is clamped at 0. */
    public static CostModel fit(List<Integer> depths, List<Double> ms) {
      if (depths.size() != ms.size() || depths.size() < 2) {
        throw new IllegalArgumentException("need at least two (depth, ms) points");
      }
      int n = depths.size();
      double meanD = depths.stream().mapToDouble(Integer::doubleValue).average().orElseThrow();
      double meanT = ms.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      double cov = 0;
      double var = 0;
      for (int i = 0; i < n; i++) {
        cov += (depths.get(i) - meanD) * (ms.get(i) - meanT);
        var += (depths.get(i) - meanD) * (depths.get(i) - meanD);
      }
      if (var == 0) {
        throw new IllegalArgumentException("need at least two different depths");
      }
      double slope = cov / var;
      return new CostModel(Math.max(0, meanT - slope * meanD), slope);
    }

    public double predictMs(int depth) {
      return fixedMs + perBlockMs * depth;
    }

    /** The depth whose predicted latency is nearest {@code targetMs}, at least {@code min}. */
    public int depthFor(double targetMs, int min) {
      return Math.max(min, (int) Math.round((targetMs - fixedMs) / perBlockMs));
    }
  }

  /** One calibration step: median batch-1 CPU ms per rung, the fitted cost, the new table. */
  public record Step(List<Integer> depths, List<Double> cpuMs, CostModel cost, LadderTable next) {}

  private LadderCalibrator() {}

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

  /** Measures {@code table}'s ladder on this machine once and fits new depths. */
  public static Step step(
      LadderTable table, double smallestTargetMs, DirectOrtBenchmark.Settings settings) {
    Path dir = createTempDir();
    try {
      LadderOptions options = LadderOptions.defaults().withTable(table).withSeed(CALIBRATION_SEED);
      GeneratedLadder ladder = ModelLadder.generate(dir, options);
      List<Path> files = ladder.models().stream().map(GeneratedLadder.Model::modelFile).toList();
      // CPU time is the compute time only when ORT computes on the calling thread alone.
      boolean cpuIsCompute = settings.intraOpThreads() == 1;
      List<Double> ms =
          DirectOrtBenchmark.compareModels(files, settings, 1).stream()
              .map(b -> cpuIsCompute ? b.cpuMedianMs() : b.medianMs())
              .toList();
      List<Integer> depths = table.rungs().stream().map(LadderRung::depth).toList();
      CostModel cost = CostModel.fit(depths, ms);
      return new Step(depths, ms, cost, table.withDepths(depthsFor(table, cost, smallestTargetMs)));
    } finally {
      deleteRecursively(dir);
    }
  }

  /** {@code iterations} steps from {@code table}; returns the last step's table. */
  public static LadderTable calibrate(
      LadderTable table,
      double smallestTargetMs,
      DirectOrtBenchmark.Settings settings,
      int iterations) {
    LadderTable current = table;
    for (int i = 0; i < iterations; i++) {
      current = step(current, smallestTargetMs, settings).next();
    }
    return current;
  }

  private static Path createTempDir() {
    try {
      return Files.createTempDirectory("surge-calibration");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a calibration directory", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    FileUtils.deleteQuietly(dir.toFile());
  }
}
