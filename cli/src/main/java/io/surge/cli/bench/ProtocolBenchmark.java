package io.surge.cli.bench;

import io.surge.serving.client.InferOptions;
import io.surge.serving.client.InferenceClient;
import io.surge.serving.client.InferenceClients;
import io.surge.serving.client.KServeClient;
import io.surge.serving.engine.DeviceExecutor;
import io.surge.serving.engine.ModelStatistics;
import io.surge.serving.ladder.LadderOptions;
import io.surge.serving.ladder.ModelLadder;
import io.surge.serving.profile.RandomInputs;
import io.surge.serving.protocol.HttpTransport;
import io.surge.serving.protocol.InferRequest;
import io.surge.serving.protocol.ModelMetadata;
import io.surge.serving.server.InferenceGrpcServer;
import io.surge.serving.server.InferenceHttpServer;
import io.surge.serving.server.ServerOptions;
import io.surge.state.metrics.Percentiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * KServe v2 over HTTP vs gRPC on one embedded server (one executor, both front ends, as {@code
 * surge serve --grpc-port} runs them), on a zero-compute model so that what is measured is the
 * protocol path: the batch-1 overhead of one client (round trip less the server's compute, from its
 * statistics) and the saturation throughput of a closed loop, with the CPU each call costs (client
 * and server share this JVM).
 */
public final class ProtocolBenchmark {

  /** The front ends: HTTP over Netty (the default), HTTP over the JDK's server and client, gRPC. */
  public enum Transport {
    HTTP,
    HTTP_JDK,
    GRPC
  }

  /**
   * @param model model under load (the repository's first when null)
   * @param transports the protocols, measured in this order (the later ones find a warmer JVM)
   * @param runs timed batch-1 calls of the overhead measurement
   * @param clients closed-loop clients of the saturation point
   */
  public record Settings(
      String model,
      List<Transport> transports,
      int runs,
      int clients,
      Duration warmup,
      Duration window,
      Duration timeout) {
    public Settings {
      transports = List.copyOf(transports);
      if (runs < 10 || clients < 1 || transports.isEmpty()) {
        throw new IllegalArgumentException(
            "runs must be >= 10, clients >= 1 and at least one protocol given");
      }
    }
  }

  /** Batch-1 figures of one client, in ms: round trip, server compute and queue (means). */
  public record Overhead(
      Transport transport,
      int runs,
      double roundTripP50,
      double roundTripP99,
      double computeMean,
      double queueMean) {
    public double overheadP50() {
      return roundTripP50 - computeMean;
    }

    public double overheadP99() {
      return roundTripP99 - computeMean;
    }
  }

  /** The whole run. */
  public record Result(
      String model, Settings settings, List<Overhead> overheads, List<Saturation> saturations) {}

  /** One saturation point. */
  public record Saturation(Transport transport, LoadPoint load) {
    /** Process CPU (client + server) per call, ms. */
    public double cpuMsPerCall() {
      return load.cpuCores() * 1000 / load.throughput();
    }
  }

  private ProtocolBenchmark() {}

  /**
   * The zero-compute ladder with no batcher queue delay: a lone request runs at once, so the
   * batch-1 round trip less compute is the protocol path alone.
   */
  public static Path generateZeroComputeLadder(Path dir) {
    LadderOptions options = LadderOptions.defaults().withZeroCompute(true);
    LadderOptions.Batching b = options.batching();
    options =
        options.withBatching(
            new LadderOptions.Batching(
                b.maxBatchSize(), b.preferredBatchSizes(), 0, 60_000_000L, b.maxQueueSize()));
    return ModelLadder.generate(dir, options).repository();
  }

  public static Result run(Path repository, Settings settings, PrintStream log) {
    DeviceExecutor executor = DeviceExecutor.open(repository, DeviceExecutor.Options.defaults());
    ServerOptions options = ServerOptions.defaults().withThreads(8);
    List<AutoCloseable> servers = new ArrayList<>();
    try {
      String model =
          settings.model() != null
              ? settings.model()
              : executor.models().stream().findFirst().orElseThrow().name();
      List<Overhead> overheads = new ArrayList<>();
      List<Saturation> saturations = new ArrayList<>();
      for (Transport transport : settings.transports()) {
        try (InferenceClient client = client(transport, executor, options, servers, settings)) {
          ModelMetadata metadata = client.modelMetadata(model, null).join();
          InferRequest request = RandomInputs.request(metadata, 1);
          log.printf(
              Locale.ROOT, "%s: %d batch-1 calls from one client%n", transport, settings.runs());
          overheads.add(overhead(transport, client, model, request, settings));
          log.printf(
              Locale.ROOT,
              "%s: %d closed-loop clients for %s%n",
              transport,
              settings.clients(),
              settings.window());
          LoadPoint load =
              new ClosedLoopLoad(client, model, request, settings.timeout())
                  .run(settings.clients(), settings.warmup(), settings.window());
          saturations.add(new Saturation(transport, load));
        }
      }
      return new Result(model, settings, overheads, saturations);
    } finally {
      for (AutoCloseable server : servers) {
        try {
          server.close();
        } catch (Exception e) {
          log.println("could not close a server: " + e);
        }
      }
      executor.close();
    }
  }

  /** A front end of its own for the transport on the shared executor, and its client. */
  private static InferenceClient client(
      Transport transport,
      DeviceExecutor executor,
      ServerOptions options,
      List<AutoCloseable> servers,
      Settings settings) {
    if (transport == Transport.GRPC) {
      InferenceGrpcServer grpc = InferenceGrpcServer.start(executor, options);
      servers.add(grpc);
      return InferenceClients.builder(grpc.baseUri()).requestTimeout(settings.timeout()).build();
    }
    HttpTransport http = transport == Transport.HTTP_JDK ? HttpTransport.JDK : HttpTransport.NETTY;
    InferenceHttpServer server =
        InferenceHttpServer.start(executor, options.withHttpTransport(http));
    servers.add(server);
    return KServeClient.builder(server.baseUri())
        .httpTransport(http)
        .requestTimeout(settings.timeout())
        .build();
  }

  private static Overhead overhead(
      Transport transport,
      InferenceClient client,
      String model,
      InferRequest request,
      Settings settings) {
    InferOptions options = InferOptions.defaults().withTimeout(settings.timeout());
    for (int i = 0; i < Math.max(50, settings.runs() / 10); i++) {
      client.infer(model, null, request, options).join();
    }
    ModelStatistics before = statistics(client, model);
    double[] roundTrips = new double[settings.runs()];
    for (int i = 0; i < roundTrips.length; i++) {
      long start = System.nanoTime();
      client.infer(model, null, request, options).join();
      roundTrips[i] = (System.nanoTime() - start) / 1e6;
    }
    ModelStatistics after = statistics(client, model);
    long executions = after.executionCount() - before.executionCount();
    long computeNs = computeNanos(after) - computeNanos(before);
    long queueCount = after.queue().count() - before.queue().count();
    long queueNs = after.queue().ns() - before.queue().ns();
    return new Overhead(
        transport,
        roundTrips.length,
        Percentiles.of(roundTrips, 0.5),
        Percentiles.of(roundTrips, 0.99),
        executions == 0 ? Double.NaN : computeNs / 1e6 / executions,
        queueCount == 0 ? Double.NaN : queueNs / 1e6 / queueCount);
  }

  private static ModelStatistics statistics(InferenceClient client, String model) {
    return client.statistics(model, null).join().get(0);
  }

  private static long computeNanos(ModelStatistics s) {
    long ns = 0;
    for (ModelStatistics.BatchStat b : s.batchStats()) {
      ns += b.computeInput().ns() + b.computeInfer().ns() + b.computeOutput().ns();
    }
    return ns;
  }

  /** The figures as markdown tables. */
  public static String markdown(Result r) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Model `%s` (zero compute), one embedded server: its front ends (HTTP = Netty,"
                + " HTTP_JDK = the JDK's server and client, GRPC) on one executor.%n%n",
            r.model()));
    out.append(
        "| transport | batch-1 calls | round trip p50 ms | p99 ms | server compute ms |"
            + " queue ms | overhead p50 ms | overhead p99 ms |\n");
    out.append("|---|---|---|---|---|---|---|---|\n");
    for (Overhead o : r.overheads()) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
              o.transport(),
              o.runs(),
              o.roundTripP50(),
              o.roundTripP99(),
              o.computeMean(),
              o.queueMean(),
              o.overheadP50(),
              o.overheadP99()));
    }
    out.append('\n');
    out.append(
        "| transport | clients | calls/s | p50 ms | p95 ms | mean batch | failures |"
            + " process CPU cores | CPU ms per call |\n");
    out.append("|---|---|---|---|---|---|---|---|---|\n");
    for (Saturation s : r.saturations()) {
      LoadPoint p = s.load();
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.0f | %.2f | %.2f | %.2f | %d | %.2f | %.3f |%n",
              s.transport(),
              p.clients(),
              p.throughput(),
              p.medianMs(),
              p.p95Ms(),
              p.batches().meanBatch(),
              p.failures(),
              p.cpuCores(),
              s.cpuMsPerCall()));
    }
    return out.toString();
  }
}
