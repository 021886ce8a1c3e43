package io.surge.cli;

import io.surge.serving.client.InferenceClient;
import io.surge.serving.client.InferenceClients;
import io.surge.serving.ladder.LadderTable;
import io.surge.serving.profile.LadderRatios;
import io.surge.serving.profile.Profiler;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code surge profile}: latency per model and batch size on a running server. */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    description = {
      "Measures latency per model and batch size on a server; writes a profile.",
      "Measures each model's latency per batch size on a running KServe v2 server (binary"
          + " tensors, random input of the model's shape, one request in flight, all cases"
          + " interleaved) and writes the latency profile (median and p95) as JSON."
    })
final class ProfileCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--server",
      required = true,
      paramLabel = "URL",
      description = "The server's base URL, e.g. http://127.0.0.1:8000 or grpc://127.0.0.1:8001.")
  String server;

  @Option(
      names = "--models",
      split = ",",
      paramLabel = "MODEL",
      description =
          "Models to profile (default: those of --server-name in --catalog, else every"
              + " model the server reports in its statistics).")
  List<String> models = new ArrayList<>();

  @Option(
      names = "--catalog",
      paramLabel = "FILE",
      description = "Catalog whose server --server-name lists the models to profile.")
  Path catalog;

  @Option(
      names = "--batches",
      split = ",",
      defaultValue = "1,2,4,8,16",
      description = "Batch sizes (default: ${DEFAULT-VALUE}).")
  List<Integer> batches;

  @Option(
      names = "--out",
      defaultValue = "profile.json",
      paramLabel = "FILE",
      description = "Profile to write (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--server-name",
      defaultValue = "edge-0",
      description = "The server's name in the profile and catalog (default: ${DEFAULT-VALUE}).")
  String serverName;

  @Option(
      names = "--warmup",
      defaultValue = "10",
      description = "Untimed rounds first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--runs",
      defaultValue = "50",
      description = "Timed rounds, i.e. samples per model and batch (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--timeout-ms",
      defaultValue = "30000",
      description = "Timeout of one request (default: ${DEFAULT-VALUE}).")
  long timeoutMs;

  @Override
  public Integer call() {
    Profiler.Settings settings = settings();
    InferenceClient client =
        InferenceClients.builder(baseUri()).requestTimeout(Duration.ofMillis(timeoutMs)).build();
    List<String> toProfile = modelsToProfile(client);
    PrintWriter w = spec.commandLine().getOut();
    w.printf(
        Locale.ROOT,
        "profiling %s on %s at batches %s (%d warm-up + %d timed rounds)%n",
        toProfile,
        server,
        batches,
        warmup,
        runs);
    w.flush();
    Profiler.Result result;
    try (ProgressBarListener bar = new ProgressBarListener("profile")) {
      result = new Profiler(client, settings).measure(serverName, toProfile, bar);
    }
    result.profile().write(out);
    print(w, result);
    if (result.rejected() > 0) {
      w.printf(
          "note: the server rejected %d requests with 503 (overloaded or cold); warm-up ones were"
              + " ignored, timed ones sent again%n",
          result.rejected());
      w.flush();
    }
    return 0;
  }

  private Profiler.Settings settings() {
    try {
      return new Profiler.Settings(batches, warmup, runs, Duration.ofMillis(timeoutMs));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private URI baseUri() {
    if (!server.matches("(https?|grpc)://[^/\\s]+.*")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--server must be an http(s):// or grpc:// URL, got '" + server + "'");
    }
    return URI.create(server);
  }

  private List<String> modelsToProfile(InferenceClient client) {
    if (!models.isEmpty()) {
      return models;
    }
    if (catalog != null) {
      return Catalog.load(catalog).servers().stream()
          .filter(s -> s.name().equals(serverName))
          .findFirst()
          .orElseThrow(
              () ->
                  new CommandLine.ParameterException(
                      spec.commandLine(),
                      "catalog " + catalog + " has no server named '" + serverName + "'"))
          .models();
    }
    return Profiler.servedModels(client, Duration.ofMillis(timeoutMs));
  }

  private void print(PrintWriter w, Profiler.Result result) {
    w.printf(
        Locale.ROOT,
        "%-16s %5s %10s %10s %18s%n",
        "model",
        "batch",
        "median ms",
        "p95 ms",
        "server compute ms");
    for (LatencyProfile.Entry e : result.profile().entries()) {
      double compute =
          result.serverCompute().stream()
              .filter(c -> c.model().equals(e.model()) && c.batch() == e.batch())
              .mapToDouble(Profiler.ServerCompute::meanMs)
              .findFirst()
              .orElse(Double.NaN);
      w.printf(
          Locale.ROOT,
          "%-16s %5d %10.3f %10.3f %18.3f%n",
          e.model(),
          e.batch(),
          e.medianMs(),
          e.p95Ms(),
          compute);
    }
    LadderTable ladder = LadderTable.imageClassification();
    w.print(
        LadderRatios.format(
            "round-trip medians", LadderRatios.compare(result.profile(), serverName, ladder)));
    w.print(
        LadderRatios.format(
            "server compute (mean)", LadderRatios.compare(result.serverCompute(), ladder)));
    w.printf("profile written to %s%n", out);
    w.flush();
  }
}
