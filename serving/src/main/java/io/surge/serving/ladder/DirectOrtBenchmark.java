package io.surge.serving.ladder;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.surge.state.metrics.Percentiles;
import io.surge.state.onnx.OrtRuntime;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
 *
 * <p>On a shared machine the load of other processes changes from second to second, so comparisons
 * (batch sizes of one model, or several models) are measured <em>interleaved</em>: one run of each
 * case per round, so every case sees the same background load.
 */
public final class DirectOrtBenchmark implements AutoCloseable {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /**
   * How to measure.
   *
   * @param warmupRuns untimed runs per case
   * @param minRuns timed runs per case, at least
   * @param maxRuns timed runs per case, at most
   * @param budgetMillis stop after {@code minRuns} rounds once this much time has passed
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

    /** 5 warm-up runs, 20..200 timed runs within 2 s, one thread. */
    public static Settings defaults() {
      return new Settings(5, 20, 200, 2000, 1);
    }

    public Settings withIntraOpThreads(int threads) {
      return new Settings(warmupRuns, minRuns, maxRuns, budgetMillis, threads);
    }

    public Settings withBudgetMillis(long millis) {
      return new Settings(warmupRuns, minRuns, maxRuns, millis, intraOpThreads);
    }
  }

  /**
   * Latency of one execution at one batch size, in milliseconds (wall clock), plus the median CPU
   * time of the calling thread. With one intra-op thread ONNX Runtime computes on the calling
   * thread, so {@code cpuMedianMs} is the compute time without the time other processes held the
   * core: on a shared machine it is the stable figure that calibration fits.
   */
  public record BatchLatency(
      int batch, double medianMs, double p95Ms, double minMs, double cpuMedianMs, int samples) {
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

  /** Opens {@code model} and measures the batch sizes interleaved (see the class comment). */
  public static List<BatchLatency> measure(Path model, Settings settings, int... batches) {
    try (DirectOrtBenchmark bench = open(model, settings)) {
      return bench.measureInterleaved(batches);
    }
  }

  /**
   * Batch-{@code batch} latency of several models, measured interleaved: the fair way to compare
   * models on a machine with background load. Results are in the order of {@code models}.
   */
  public static List<BatchLatency> compareModels(List<Path> models, Settings settings, int batch) {
    List<DirectOrtBenchmark> benches = new ArrayList<>();
    List<Case> cases = new ArrayList<>();
    try {
      for (Path model : models) {
        DirectOrtBenchmark bench = open(model, settings);
        benches.add(bench);
        cases.add(bench.newCase(batch));
      }
      return runInterleaved(cases, settings);
    } finally {
      cases.forEach(Case::close);
      benches.forEach(DirectOrtBenchmark::close);
    }
  }

  /** Measures one batch size. */
  public BatchLatency measure(int batch) {
    return measureInterleaved(batch).get(0);
  }

  /** Measures several batch sizes of this model, interleaved; results in argument order. */
  public List<BatchLatency> measureInterleaved(int... batches) {
    List<Case> cases = new ArrayList<>();
    try {
      for (int b : batches) {
        cases.add(newCase(b));
      }
      return runInterleaved(cases, settings);
    } finally {
      cases.forEach(Case::close);
    }
  }

  private static List<BatchLatency> runInterleaved(List<Case> cases, Settings settings) {
    for (int i = 0; i < settings.warmupRuns(); i++) {
      cases.forEach(Case::runOnce);
    }
    long deadline = System.nanoTime() + settings.budgetMillis() * 1_000_000L;
    int rounds = 0;
    while (rounds < settings.maxRuns()
        && (rounds < settings.minRuns() || System.nanoTime() < deadline)) {
      for (Case c : cases) {
        c.timedRun();
      }
      rounds++;
    }
    return cases.stream().map(Case::summary).toList();
  }

  private Case newCase(int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    long[] shape = shapeFor(batch);
    try {
      OnnxTensor input = OnnxTensor.createTensor(env, randomInput(shape), shape);
      return new Case(this, batch, input, settings.maxRuns());
    } catch (OrtException e) {
      throw new IllegalStateException("cannot create a batch-" + batch + " input", e);
    }
  }

  /** One thing to time: a session at one batch size, with its input and samples. */
  private static final class Case implements AutoCloseable {
    private final DirectOrtBenchmark bench;
    private final int batch;
    private final OnnxTensor input;
    private final double[] samplesMs;
    private final double[] cpuSamplesMs;
    private int count;

    Case(DirectOrtBenchmark bench, int batch, OnnxTensor input, int capacity) {
      this.bench = bench;
      this.batch = batch;
      this.input = input;
      this.samplesMs = new double[capacity];
      this.cpuSamplesMs = new double[capacity];
    }

    void timedRun() {
      long cpuStart = THREADS.getCurrentThreadCpuTime();
      long wall = runOnce();
      cpuSamplesMs[count] = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e6;
      samplesMs[count++] = wall / 1e6;
    }

    long runOnce() {
      long start = System.nanoTime();
      try (OrtSession.Result result = bench.session.run(Map.of(bench.inputName, input))) {
        return System.nanoTime() - start;
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime failed at batch " + batch, e);
      }
    }

    BatchLatency summary() {
      double[] sorted = Arrays.copyOf(samplesMs, count);
      Arrays.sort(sorted);
      double[] cpu = Arrays.copyOf(cpuSamplesMs, count);
      Arrays.sort(cpu);
      return new BatchLatency(
          batch,
          Percentiles.sorted(sorted, 0.5),
          Percentiles.sorted(sorted, 0.95),
          sorted[0],
          Percentiles.sorted(cpu, 0.5),
          count);
    }

    @Override
    public void close() {
      input.close();
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

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close session", e);
    }
  }
}
