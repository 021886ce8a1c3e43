package io.surge.cli.bench;

import io.surge.serving.client.KServeClient;
import io.surge.serving.engine.DeviceExecutor;
import io.surge.serving.engine.ModelRepository;
import io.surge.serving.ladder.DirectOrtBenchmark;
import io.surge.serving.ladder.DirectOrtBenchmark.BatchLatency;
import io.surge.serving.ladder.LadderOptions;
import io.surge.serving.ladder.LadderTable;
import io.surge.serving.ladder.ModelLadder;
import io.surge.serving.profile.RandomInputs;
import io.surge.serving.protocol.InferRequest;
import io.surge.serving.protocol.ModelMetadata;
import io.surge.serving.server.InferenceHttpServer;
import io.surge.serving.server.ServerOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The serving benchmark behind {@code surge bench serving}: the embedded server (this JVM, port 0)
 * under closed-loop HTTP load, compared with direct in-process ONNX Runtime calls.
 *
 * <ol>
 *   <li>a sweep of concurrent clients against one model with dynamic batching on: where throughput
 *       stops rising;
 *   <li>server throughput at saturation vs direct {@code session.run} at the batch sizes the server
 *       formed (read from its {@code batch_stats});
 *   <li>dynamic batching on vs off at saturation;
 *   <li>the per-request latency of every model at batch 1..16, direct.
 * </ol>
 *
 * It prints figures; it asserts nothing (speed is not a test).
 */
public final class ServingBenchmark {

  /** A sweep point within this share of the best throughput counts as saturated. */
  static final double SATURATED_SHARE = 0.95;

  /**
   * How to run.
   *
   * @param model the model under load, e.g. the ladder's middle variant
   * @param warmup load before each measurement window
   * @param window each load point's measurement window
   * @param clientCounts the closed-loop client counts of the sweep
   * @param curveBatches batch sizes of the direct per-model curves
   * @param intraOpThreads ONNX Runtime intra-op threads of the server and the direct runs
   * @param requestTimeout client timeout of one request
   */
  public record Settings(
      String model,
      Duration warmup,
      Duration window,
      List<Integer> clientCounts,
      List<Integer> curveBatches,
      int intraOpThreads,
      Duration requestTimeout) {
    public Settings {
      clientCounts = List.copyOf(clientCounts);
      curveBatches = List.copyOf(curveBatches);
      if (clientCounts.isEmpty() || clientCounts.stream().anyMatch(c -> c < 1)) {
        throw new IllegalArgumentException("client counts must be >= 1, got " + clientCounts);
      }
      if (window.isZero() || window.isNegative() || warmup.isNegative()) {
        throw new IllegalArgumentException("window must be positive and warm-up >= 0");
      }
      if (intraOpThreads < 0) {
        throw new IllegalArgumentException("intra-op threads must be >= 0");
      }
    }

    /** resnet50-like, 1 s warm-up + 3 s per point, 1..64 clients, one intra-op thread. */
    public static Settings defaults() {
      return new Settings(
          "resnet50-like",
          Duration.ofSeconds(1),
          Duration.ofSeconds(3),
          List.of(1, 2, 4, 8, 16, 32, 64),
          List.of(1, 2, 4, 8, 16),
          1,
          Duration.ofSeconds(30));
    }

    public Settings withModel(String value) {
      return new Settings(
          value, warmup, window, clientCounts, curveBatches, intraOpThreads, requestTimeout);
    }

    public Settings withWindow(Duration value) {
      return new Settings(
          model, warmup, value, clientCounts, curveBatches, intraOpThreads, requestTimeout);
    }
  }

  /**
   * Server throughput vs direct ONNX Runtime on the same batches.
   *
   * @param mix the executions the server ran at its best sweep point
   * @param latencies direct median latency per batch size of the mix
   * @param directThroughput rows per second of running the mix back to back in process (wall)
   * @param directCpuThroughput rows per CPU-second of the same (median CPU time of each run)
   */
  public record DirectComparison(
      BatchMix mix,
      Map<Integer, BatchLatency> latencies,
      double directThroughput,
      double directCpuThroughput) {}

  /**
   * Everything measured.
   *
   * @param sweep batching on, one point per client count
   * @param batchingOn batching on at the saturating client count, measured right after {@code
   *     batchingOff} (adjacent in time, so both saw similar background load)
   * @param batchingOff batching off at the same client count
   * @param curves direct per-model latency by batch size, in ladder order
   */
  public record Result(
      String model,
      List<LoadPoint> sweep,
      DirectComparison direct,
      LoadPoint batchingOn,
      LoadPoint batchingOff,
      Map<String, List<BatchLatency>> curves) {

    /** The sweep point of the highest throughput. */
    public LoadPoint best() {
      return sweep.stream().max(Comparator.comparingDouble(LoadPoint::throughput)).orElseThrow();
    }

    /** The first sweep point within 95 % of the best throughput: where it stops rising. */
    public LoadPoint knee() {
      double best = best().throughput();
      return sweep.stream()
          .filter(p -> p.throughput() >= SATURATED_SHARE * best)
          .findFirst()
          .orElseThrow();
    }

    /** Server throughput at its best point over direct ONNX Runtime on the same batches. */
    public double serverToDirect() {
      return best().throughput() / direct.directThroughput();
    }

    /**
     * The same per CPU-second at the best point: requests per CPU-second of {@code cores} (some of
     * the process's threads) over direct rows per CPU-second. On a shared machine, where wall time
     * depends on what else runs, these are the stable figures of the serving path's overhead.
     */
    public double cpuRatio(double cores) {
      return best().throughput() / cores / direct.directCpuThroughput();
    }

    /** Throughput with dynamic batching over without, at saturation. */
    public double batchingGain() {
      return batchingOn.throughput() / batchingOff.throughput();
    }
  }

  private ServingBenchmark() {}

  /**
   * Writes the full calibrated ladder into {@code dir} with a queue timeout long enough (60 s) that
   * a saturating closed loop is measured, not rejected by the 100 ms deadline policy.
   */
  public static Path generateLadder(Path dir) {
    LadderOptions options = LadderOptions.defaults();
    options = options.withBatching(options.batching().withQueueTimeoutMicros(60_000_000L));
    return ModelLadder.generate(dir, options).repository();
  }

  /** Runs the whole benchmark on a model repository, logging progress to {@code log}. */
  public static Result run(Path repository, Settings settings, PrintStream log) {
    Map<String, Path> modelFiles = modelFiles(repository);
    Path modelFile = modelFiles.get(settings.model());
    if (modelFile == null) {
      throw new IllegalArgumentException(
          "model '" + settings.model() + "' is not in " + repository + " " + modelFiles.keySet());
    }
    List<LoadPoint> sweep;
    LoadPoint on;
    LoadPoint off;
    try (Serving batching = Serving.start(repository, settings, true)) {
      sweep = sweep(batching, settings, log);
      int saturating = bestOf(sweep).clients();
      try (Serving unbatched = Serving.start(repository, settings, false)) {
        off = unbatched.load(settings, saturating);
        log.println("  batching off, " + describe(off));
      }
      on = batching.load(settings, saturating);
      log.println("  batching on again, " + describe(on));
    }
    DirectComparison direct = direct(modelFile, bestOf(sweep).batches(), settings, log);
    Map<String, List<BatchLatency>> curves = curves(modelFiles, settings, log);
    return new Result(settings.model(), sweep, direct, on, off, curves);
  }

  private static List<LoadPoint> sweep(Serving serving, Settings settings, PrintStream log) {
    List<LoadPoint> sweep = new ArrayList<>();
    log.println("closed-loop sweep of " + settings.model() + ", dynamic batching on:");
    for (int clients : settings.clientCounts()) {
      LoadPoint point = serving.load(settings, clients);
      log.println("  " + describe(point));
      sweep.add(point);
    }
    return sweep;
  }

  private static LoadPoint bestOf(List<LoadPoint> sweep) {
    return sweep.stream().max(Comparator.comparingDouble(LoadPoint::throughput)).orElseThrow();
  }

  private static DirectComparison direct(
      Path modelFile, BatchMix mix, Settings settings, PrintStream log) {
    int[] sizes = mix.batchSizes();
    if (sizes.length == 0) {
      throw new IllegalStateException("the server ran no batches at its best sweep point");
    }
    log.println("direct ONNX Runtime at the server's batch sizes " + mix.executionsByBatch());
    List<BatchLatency> measured =
        DirectOrtBenchmark.measure(modelFile, directSettings(settings), sizes);
    Map<Integer, BatchLatency> bySize = new LinkedHashMap<>();
    double seconds = 0;
    double cpuSeconds = 0;
    for (BatchLatency b : measured) {
      bySize.put(b.batch(), b);
      long executions = mix.executionsByBatch().get(b.batch());
      seconds += executions * b.medianMs() / 1000;
      cpuSeconds += executions * b.cpuMedianMs() / 1000;
    }
    return new DirectComparison(mix, bySize, mix.rows() / seconds, mix.rows() / cpuSeconds);
  }

  private static Map<String, List<BatchLatency>> curves(
      Map<String, Path> modelFiles, Settings settings, PrintStream log) {
    Map<String, List<BatchLatency>> curves = new LinkedHashMap<>();
    int[] batches = settings.curveBatches().stream().mapToInt(Integer::intValue).toArray();
    for (Map.Entry<String, Path> model : modelFiles.entrySet()) {
      log.println("direct batch curve of " + model.getKey());
      curves.put(
          model.getKey(),
          DirectOrtBenchmark.measure(model.getValue(), directSettings(settings), batches));
    }
    return curves;
  }

  private static DirectOrtBenchmark.Settings directSettings(Settings settings) {
    return DirectOrtBenchmark.Settings.defaults().withIntraOpThreads(settings.intraOpThreads());
  }

  /** Model files of the repository, the ladder's variants first in ladder order. */
  private static Map<String, Path> modelFiles(Path repository) {
    List<String> ladder =
        LadderTable.imageClassification().rungs().stream().map(r -> r.name()).toList();
    Map<String, Path> files = new LinkedHashMap<>();
    ModelRepository.scan(repository).stream()
        .sorted(
            Comparator.comparingInt(
                (ModelRepository.Entry e) ->
                    ladder.contains(e.name()) ? ladder.indexOf(e.name()) : ladder.size()))
        .forEach(e -> files.put(e.name(), e.modelFile()));
    return files;
  }

  static String describe(LoadPoint p) {
    return String.format(
        Locale.ROOT,
        "%3d clients: %7.1f req/s  median %7.2f ms  p95 %7.2f ms  mean batch %5.2f  failures %d"
            + "  execution busy %3.0f %%  cpu %.2f cores %s",
        p.clients(),
        p.throughput(),
        p.medianMs(),
        p.p95Ms(),
        p.batches().meanBatch(),
        p.failures(),
        100 * p.executionBusy(),
        p.cpuCores(),
        formatCores(p));
  }

  private static String formatCores(LoadPoint p) {
    StringBuilder out = new StringBuilder("(");
    p.threadCores()
        .forEach(
            (group, cores) ->
                out.append(out.length() > 1 ? ", " : "")
                    .append(String.format(Locale.ROOT, "%s %.2f", group, cores)));
    return out.append(')').toString();
  }

  /** An executor and its HTTP server on a free port, with a client of it. */
  private record Serving(DeviceExecutor executor, InferenceHttpServer server, KServeClient client)
      implements AutoCloseable {

    static Serving start(Path repository, Settings settings, boolean dynamicBatching) {
      DeviceExecutor executor =
          DeviceExecutor.open(
              repository,
              DeviceExecutor.Options.defaults()
                  .withDynamicBatching(dynamicBatching)
                  .withIntraOpThreads(settings.intraOpThreads()));
      try {
        InferenceHttpServer server =
            InferenceHttpServer.start(executor, ServerOptions.defaults().withThreads(8));
        KServeClient client =
            KServeClient.builder(server.baseUri())
                .requestTimeout(settings.requestTimeout())
                .build();
        return new Serving(executor, server, client);
      } catch (RuntimeException e) {
        executor.close();
        throw e;
      }
    }

    LoadPoint load(Settings settings, int clients) {
      ModelMetadata metadata = client.modelMetadata(settings.model(), null).join();
      InferRequest request = RandomInputs.request(metadata, 1);
      return new ClosedLoopLoad(client, settings.model(), request, settings.requestTimeout())
          .run(clients, settings.warmup(), settings.window());
    }

    @Override
    public void close() {
      client.close();
      server.close();
      executor.close();
    }
  }
}
