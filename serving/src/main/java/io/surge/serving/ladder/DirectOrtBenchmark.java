package io.surge.serving.ladder;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Latency of a model run directly in ONNX Runtime, in process: no server, no protocol, no queue.
 * For each batch size it warms up, then times {@code session.run} repeatedly and reports the median
 * and p95. It is the "direct ORT" reference the server benchmarks compare against, and the
 * measurement behind the ladder's calibration table.
 */
public final class DirectOrtBenchmark implements AutoCloseable {

  /**
   * How to measure.
   *
   * @param warmupRuns untimed runs per batch size
   * @param minRuns timed runs per batch size, at least
   * @param maxRuns timed runs per batch size, at most
   * @param budgetMillis per batch size, stop after {@code minRuns} once this much time has passed
   * @param intraOpThreads ONNX Runtime intra-op threads (1 = what one server execution gets on a
   *     busy machine; 0 = ONNX Runtime's default, all cores)
   */
  public record Settings(
      int warmupRuns, int minRuns, int maxRuns, long budgetMillis, int intraOpThreads) {
    public Settings {
      if (warmupRuns < 0 || minRuns < 1 || maxRuns < minRuns || budgetMillis < 0) {
        throw new IllegalArgumentException(
            "need warmupRuns >= 0, 1 <= minRuns <= maxRuns, budgetMillis >= 0");
      }
      if (intraOpThreads < 0) {
        throw new IllegalArgumentException("intraOpThreads must be >= 0");
      }
    }

    /** 5 warm-up runs, 20..200 timed runs within 1.5 s per batch size, one thread. */
    public static Settings defaults() {
      return new Settings(5, 20, 200, 1500, 1);
    }
  }

  /** Latency of one execution at one batch size, in milliseconds. */
  public record BatchLatency(int batch, double medianMs, double p95Ms, double minMs, int samples) {
    /** Median time per request (row): the execution's median divided by the batch size. */
    public double perRequestMs() {
      return medianMs / batch;
    }
  }

  private final OrtEnvironment env;
  private final OrtSession session;
  private final String inputName;
  private final long[] inputShape;
  private final Settings settings;

  private DirectOrtBenchmark(OrtEnvironment env, OrtSession session, Settings settings)
      throws OrtException {
    this.env = env;
    this.session = session;
    this.settings = settings;
    Map.Entry<String, NodeInfo> input = session.getInputInfo().entrySet().iterator().next();
    if (!(input.getValue().getInfo() instanceof TensorInfo tensor)) {
      throw new IllegalArgumentException("input '" + input.getKey() + "' is not a tensor");
    }
    this.inputName = input.getKey();
    this.inputShape = tensor.getShape();
  }

  /** Loads {@code model} into a new session. */
  public static DirectOrtBenchmark open(Path model, Settings settings) {
    OrtEnvironment env = OrtRuntime.environment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setInterOpNumThreads(1);
      if (settings.intraOpThreads() > 0) {
        options.setIntraOpNumThreads(settings.intraOpThreads());
      }
      return new DirectOrtBenchmark(env, env.createSession(model.toString(), options), settings);
    } catch (OrtException e) {
      throw new IllegalArgumentException("cannot load " + model + ": " + e.getMessage(), e);
    }
  }

  /** Convenience: opens, measures every batch size in order, closes. */
  public static List<BatchLatency> measure(Path model, Settings settings, int... batches) {
    try (DirectOrtBenchmark bench = open(model, settings)) {
      List<BatchLatency> out = new ArrayList<>();
      for (int b : batches) {
        out.add(bench.measure(b));
      }
      return out;
    }
  }

  /** Measures one batch size with random inputs (fixed seed). */
  public BatchLatency measure(int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    long[] shape = shapeFor(batch);
    try (OnnxTensor input = OnnxTensor.createTensor(env, randomInput(shape), shape)) {
      Map<String, OnnxTensor> feed = Map.of(inputName, input);
      for (int i = 0; i < settings.warmupRuns(); i++) {
        runOnce(feed);
      }
      return timedRuns(batch, feed);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed at batch " + batch, e);
    }
  }

  private BatchLatency timedRuns(int batch, Map<String, OnnxTensor> feed) throws OrtException {
    double[] samples = new double[settings.maxRuns()];
    int n = 0;
    long deadline = System.nanoTime() + settings.budgetMillis() * 1_000_000L;
    while (n < settings.maxRuns() && (n < settings.minRuns() || System.nanoTime() < deadline)) {
      samples[n++] = runOnce(feed) / 1e6;
    }
    double[] sorted = Arrays.copyOf(samples, n);
    Arrays.sort(sorted);
    return new BatchLatency(batch, percentile(sorted, 0.5), percentile(sorted, 0.95), sorted[0], n);
  }

  private long runOnce(Map<String, OnnxTensor> feed) throws OrtException {
    long start = System.nanoTime();
    try (OrtSession.Result result = session.run(feed)) {
      return System.nanoTime() - start;
    }
  }

  private long[] shapeFor(int batch) {
    long[] shape = inputShape.clone();
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 0) {
        shape[i] = i == 0 ? batch : 1;
      }
    }
    return shape;
  }

  private static FloatBuffer randomInput(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    SplittableRandom random = new SplittableRandom(42);
    FloatBuffer buf = FloatBuffer.allocate(Math.toIntExact(n));
    for (int i = 0; i < n; i++) {
      buf.put((float) random.nextDouble());
    }
    return buf.flip();
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close session", e);
    }
  }
}
