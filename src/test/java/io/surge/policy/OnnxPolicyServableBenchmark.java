package io.surge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.policy.onnx.OnnxPolicy;
import io.surge.policy.onnx.OnnxPolicyServable;
import io.surge.sim.engine.Calibration;
import io.surge.sim.engine.Simulator;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.state.ObservationSpec;
import io.surge.state.catalog.Catalog;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.flink.ml.linalg.DenseVector;
import org.apache.flink.ml.servable.api.DataFrame;
import org.apache.flink.ml.servable.api.Row;
import org.apache.flink.ml.servable.types.BasicType;
import org.apache.flink.ml.servable.types.DataTypes;
import org.junit.jupiter.api.Test;

/**
 * What the Flink ML servable costs and gives (docs/BENCHMARKS.md), on the shipped policy: the
 * per-request decision through {@link OnnxPolicyServable#decide} against {@link OnnxPolicy#decide}
 * directly, and scoring N observations through {@link OnnxPolicyServable#transform} against a loop
 * of per-row evaluations. Not part of the build (the name does not end in Test):
 *
 * <pre>
 * mvn -B -o test -Dtest=OnnxPolicyServableBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class OnnxPolicyServableBenchmark {

  private static final int DECISIONS = Integer.getInteger("surge.bench.decisions", 200_000);
  private static final int WARMUP = Integer.getInteger("surge.bench.warmup", 50_000);
  private static final int ROUNDS = 3;

  @Test
  void decisionAndBatchScoring() throws Exception {
    Catalog catalog = Calibration.defaultCatalog();
    Simulator simulator =
        new Simulator(
            SimulatorConfig.of(catalog, catalog.services().get(0).name(), Calibration.defaults()));
    ObservationSpec spec = simulator.spec();
    List<String> actions = simulator.topology().actionNames();
    byte[] model = Files.readAllBytes(Path.of("deploy", "policies", "default.onnx"));
    int d = spec.dimension();
    int a = spec.actionCount();
    Random random = new Random(1);
    int pool = 4096;
    float[][] observations = new float[pool][d];
    float[][] masks = new float[pool][a];
    for (int i = 0; i < pool; i++) {
      for (int j = 0; j < d; j++) {
        observations[i][j] = (float) Math.abs(random.nextGaussian());
      }
      Arrays.fill(masks[i], 1f);
      masks[i][random.nextInt(a - 1)] = random.nextBoolean() ? 0 : 1;
    }
    OnnxPolicy.Options argmax = OnnxPolicy.Options.defaults().withMode(OnnxPolicy.Mode.ARGMAX);
    try (OnnxPolicy direct = OnnxPolicy.load(model, spec, actions, argmax);
        OnnxPolicyServable servable = new OnnxPolicyServable(spec, actions).withOptions(argmax)) {
      servable.setModelData(new ByteArrayInputStream(model));
      System.out.printf(
          Locale.ROOT, "shipped policy: D=%d, A=%d, version %d%n", d, a, servable.version());
      Decision out = new Decision();
      for (int round = 0; round < ROUNDS; round++) {
        for (SchedulingPolicy policy : List.of(direct, servable)) {
          long[] nanos = new long[DECISIONS];
          for (int i = 0; i < WARMUP + DECISIONS; i++) {
            int k = i % pool;
            long start = System.nanoTime();
            policy.decide(observations[k], masks[k], i, null, out);
            long took = System.nanoTime() - start;
            if (i >= WARMUP) {
              nanos[i - WARMUP] = took;
            }
          }
          Arrays.sort(nanos);
          System.out.printf(
              Locale.ROOT,
              "round %d decide %-22s median %.2f us  p99 %.2f us%n",
              round,
              policy == direct ? "OnnxPolicy" : "OnnxPolicyServable",
              nanos[DECISIONS / 2] / 1e3,
              nanos[(int) (DECISIONS * 0.99)] / 1e3);
        }
      }
      for (int n : new int[] {1, 16, 256, 4096}) {
        List<float[]> obs = new ArrayList<>();
        List<float[]> msk = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          obs.add(observations[i % pool]);
          msk.add(masks[i % pool]);
        }
        int repeats = Math.max(20, 40_000 / n);
        long sink = 0;
        double[] loop = new double[repeats];
        double[] viaArrays = new double[repeats];
        double[] viaFrame = new double[repeats];
        for (int r = 0; r < repeats; r++) {
          long start = System.nanoTime();
          for (int i = 0; i < n; i++) {
            direct.decide(obs.get(i), msk.get(i), i, null, out);
            sink += out.action();
          }
          loop[r] = (System.nanoTime() - start) / 1e3;
          start = System.nanoTime();
          sink += servable.argmaxActions(obs, msk)[n - 1];
          viaArrays[r] = (System.nanoTime() - start) / 1e3;
          start = System.nanoTime();
          DataFrame frame = frame(obs, msk);
          servable.transform(frame);
          viaFrame[r] = (System.nanoTime() - start) / 1e3;
        }
        System.out.printf(
            Locale.ROOT,
            "score %5d rows: loop of decide %9.1f us, transform (float[] rows) %9.1f us,"
                + " transform (DenseVector rows, frame built) %9.1f us  (medians of %d)%n",
            n,
            median(loop),
            median(viaArrays),
            median(viaFrame),
            repeats);
        assertThat(sink).isNotNegative();
      }
    }
  }

  private static DataFrame frame(List<float[]> observations, List<float[]> masks) {
    List<Row> rows = new ArrayList<>(observations.size());
    for (int i = 0; i < observations.size(); i++) {
      rows.add(
          new Row(new ArrayList<>(List.of(vector(observations.get(i)), vector(masks.get(i))))));
    }
    return new DataFrame(
        new ArrayList<>(
            List.of(OnnxPolicyServable.OBSERVATION_COLUMN, OnnxPolicyServable.MASK_COLUMN)),
        new ArrayList<>(
            List.of(DataTypes.VECTOR(BasicType.DOUBLE), DataTypes.VECTOR(BasicType.DOUBLE))),
        rows);
  }

  private static DenseVector vector(float[] values) {
    double[] v = new double[values.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = values[i];
    }
    return new DenseVector(v);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
