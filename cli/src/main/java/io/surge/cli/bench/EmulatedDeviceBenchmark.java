package io.surge.cli.bench;

import io.surge.serving.client.KServeClient;
import io.surge.serving.engine.DeviceExecutor;
import io.surge.serving.engine.EmulatedDevice;
import io.surge.serving.engine.ModelInfo;
import io.surge.serving.profile.Profiler;
import io.surge.serving.profile.ProgressListener;
import io.surge.serving.profile.RandomInputs;
import io.surge.serving.protocol.InferRequest;
import io.surge.serving.protocol.ModelMetadata;
import io.surge.serving.server.InferenceHttpServer;
import io.surge.serving.server.ServerOptions;
import io.surge.state.catalog.LatencyProfile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Does one emulated server behave like its profile? In this JVM: an emulated device on a model
 * repository behind the real HTTP server; (1) at low load (one request in flight, {@code surge
 * profile}'s interleaved rounds) the server's execution time and the client round trip per (model,
 * batch) against {@code scale × profile}; (2) per variant, closed-loop batch-1 clients enough to
 * keep full batches queued: throughput against the profile's batched prediction ({@code maxBatch /
 * (scale × lat(maxBatch))}), and the CPU the server uses while its device is busy.
 */
public final class EmulatedDeviceBenchmark {

  /**
   * @param batches batch sizes of the low-load check
   * @param runs timed rounds of the low-load check
   * @param clients closed-loop clients of the saturation check
   * @param window measurement window of each saturation point
   */
  public record Settings(
      List<Integer> batches, int runs, int clients, Duration warmup, Duration window) {}

  /** Low-load figures of one (model, batch). */
  public record LowLoad(
      String model, int batch, double expectedMs, double serverMs, double roundTripMs) {}

  /** Saturation figures of one model. */
  public record Saturation(String model, int maxBatch, double predicted, LoadPoint point) {}

  private EmulatedDeviceBenchmark() {}

  public static void run(
      Path repository, LatencyProfile profile, double scale, Settings settings, PrintStream out) {
    EmulatedDevice device = EmulatedDevice.of(profile, scale);
    try (DeviceExecutor executor =
            DeviceExecutor.emulated(repository, device, DeviceExecutor.Options.defaults());
        InferenceHttpServer server =
            InferenceHttpServer.start(
                executor, ServerOptions.defaults().withServerInfo("emulated", "bench"));
        KServeClient client =
            KServeClient.builder(server.baseUri()).requestTimeout(Duration.ofSeconds(60)).build()) {
      List<String> models = executor.models().stream().map(ModelInfo::name).toList();
      out.println("low load: one request in flight, " + settings.runs() + " interleaved rounds");
      Profiler.Result low =
          new Profiler(
                  client,
                  new Profiler.Settings(
                      settings.batches(), 2, settings.runs(), Duration.ofSeconds(60)))
              .measure("emulated", models, ProgressListener.NONE);
      List<LowLoad> lows = new ArrayList<>();
      for (Profiler.ServerCompute c : low.serverCompute()) {
        lows.add(
            new LowLoad(
                c.model(),
                c.batch(),
                device.holdMs(c.model(), c.batch()),
                c.meanMs(),
                low.profile().medianMs("emulated", c.model(), c.batch())));
      }
      out.println(lowLoadTable(lows));
      List<Saturation> saturations = new ArrayList<>();
      for (ModelInfo model : executor.models()) {
        int maxBatch = Math.max(1, model.maxBatchSize());
        double predicted = 1000.0 * maxBatch / device.holdMs(model.name(), maxBatch);
        ModelMetadata metadata = client.modelMetadata(model.name(), null).join();
        InferRequest request = RandomInputs.request(metadata, 1);
        LoadPoint point =
            new ClosedLoopLoad(client, model.name(), request, Duration.ofSeconds(60))
                .run(settings.clients(), settings.warmup(), settings.window());
        saturations.add(new Saturation(model.name(), maxBatch, predicted, point));
        out.printf(
            Locale.ROOT,
            "saturation %s: %.1f req/s (predicted %.1f)%n",
            model.name(),
            point.throughput(),
            predicted);
      }
      out.println();
      out.println(saturationTable(saturations, settings));
    }
  }

  static String lowLoadTable(List<LowLoad> rows) {
    StringBuilder md =
        new StringBuilder(
            "| model | batch | scale x profile ms | server execution ms (mean) | vs profile |"
                + " round trip ms (median) | vs profile |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
    for (LowLoad r : rows) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.2f | %.2f | %+.1f %% | %.2f | %+.1f %% |%n",
              r.model(),
              r.batch(),
              r.expectedMs(),
              r.serverMs(),
              100 * (r.serverMs() / r.expectedMs() - 1),
              r.roundTripMs(),
              100 * (r.roundTripMs() / r.expectedMs() - 1)));
    }
    return md.toString();
  }

  static String saturationTable(List<Saturation> rows, Settings settings) {
    StringBuilder md =
        new StringBuilder(
            "| model ("
                + settings.clients()
                + " closed-loop clients, batch-1 requests) | predicted req/s (max batch /"
                + " its hold) | measured req/s | vs predicted | mean batch | device busy | CPU"
                + " cores: process | execution thread | server HTTP | client HTTP | GC, JIT |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Saturation s : rows) {
      LoadPoint p = s.point();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.1f | %+.1f %% | %.2f | %.0f %% | %.2f | %.3f | %.2f | %.2f | %.2f"
                  + " |%n",
              s.model(),
              s.predicted(),
              p.throughput(),
              100 * (p.throughput() / s.predicted() - 1),
              p.batches().meanBatch(),
              100 * p.executionBusy(),
              p.cpuCores(),
              p.cores(ThreadCpu.EXECUTION),
              p.cores(ThreadCpu.SERVER),
              p.cores(ThreadCpu.CLIENT),
              p.cores(ThreadCpu.OTHER)));
    }
    return md.toString();
  }
}
