package io.surge.cli;

import io.surge.cli.devices.DisturbanceConditions;
import io.surge.serving.engine.DeviceExecutor;
import io.surge.serving.engine.EmulatedDevice;
import io.surge.serving.engine.ModelInfo;
import io.surge.serving.protocol.HttpTransport;
import io.surge.serving.server.InferenceGrpcServer;
import io.surge.serving.server.InferenceHttpServer;
import io.surge.serving.server.ServerOptions;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.state.catalog.LatencyProfile;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code surge serve}: the embedded KServe v2 inference server on a model repository. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves a model repository over KServe v2 HTTP and gRPC (the embedded inference server).",
      "Serves the models of a Triton-style repository over the Open Inference Protocol (KServe"
          + " v2 HTTP, and gRPC with --grpc-port; both share the models, batcher and queues), one execution at a time with per-model dynamic batching: on ONNX Runtime"
          + " (--device cpu) or on an emulated accelerator (--device emulated --profile P), which"
          + " holds the device for the profiled latency of each (model, batch) without computing"
          + " and answers zeros of the declared output shapes. Runs until SIGTERM or Ctrl-C, then"
          + " stops accepting, drains and exits."
    })
final class ServeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--repository",
      required = true,
      paramLabel = "DIR",
      description = "Model repository, e.g. written by `surge models generate`.")
  Path repository;

  @Option(names = "--port", required = true, description = "TCP port; 0 picks a free one.")
  int port;

  @Option(
      names = "--grpc-port",
      paramLabel = "PORT",
      description =
          "Also serve KServe v2 gRPC (inference.GRPCInferenceService) on this TCP port; 0 picks a"
              + " free one. Without it, gRPC is off.")
  Integer grpcPort;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind, 0.0.0.0 for all (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--http-transport",
      defaultValue = "netty",
      description =
          "HTTP front end: netty (event loops, no thread hand-off) or jdk (the JDK's own server,"
              + " no dependency, about twice the cost per call) (default: ${DEFAULT-VALUE}).")
  HttpTransport httpTransport;

  @Option(
      names = "--no-batching",
      description = "Run every request alone (for batching on-vs-off comparisons).")
  boolean noBatching;

  @Option(
      names = "--intra-op-threads",
      defaultValue = "1",
      description =
          "ONNX Runtime intra-op threads per execution; 0 = all cores"
              + " (default: ${DEFAULT-VALUE}).")
  int intraOpThreads;

  @Option(
      names = "--name",
      defaultValue = "surge",
      description = "Server name reported by GET /v2 (default: ${DEFAULT-VALUE}).")
  String name;

  /** The execution backend. */
  enum Device {
    cpu,
    emulated
  }

  @Option(
      names = "--device",
      defaultValue = "cpu",
      description =
          "cpu = ONNX Runtime on the host CPU; emulated = an emulated accelerator holding the"
              + " device for the --profile latencies (default: ${DEFAULT-VALUE}).")
  Device device;

  @Option(
      names = "--profile",
      paramLabel = "FILE",
      description =
          "Latency profile (JSON, as `surge profile` writes) the emulated device holds each batch"
              + " for: median ms per (model, batch), interpolated between batch sizes."
              + " Required with --device emulated.")
  Path profile;

  @Option(
      names = "--scale",
      defaultValue = "1.0",
      description =
          "Emulated device only: multiplies every profiled latency (default: ${DEFAULT-VALUE}).")
  double scale;

  @Option(
      names = "--disturb",
      paramLabel = "SPEC",
      description =
          "Emulated device only: slow-downs, outages, 5xx windows in the grammar of `surge train"
              + " --disturb`, e.g. slowdown:server=0,factor=3,at=30,for=10;errors:server=0,at=60,"
              + "for=5 (server 0 or --name is this server; seconds since it started).")
  String disturb;

  @Override
  public Integer call() throws InterruptedException {
    ServerOptions serverOptions = serverOptions();
    DeviceExecutor.Options options =
        DeviceExecutor.Options.defaults()
            .withDynamicBatching(!noBatching)
            .withIntraOpThreads(intraOpThreads);
    EmulatedDevice emulated = emulatedDevice();
    DeviceExecutor executor =
        emulated == null
            ? DeviceExecutor.open(repository, options)
            : DeviceExecutor.emulated(repository, emulated, options);
    InferenceHttpServer server;
    InferenceGrpcServer grpcServer = null;
    try {
      server = InferenceHttpServer.start(executor, serverOptions);
    } catch (RuntimeException e) {
      executor.close();
      throw e;
    }
    try {
      if (grpcPort != null) {
        grpcServer = InferenceGrpcServer.start(executor, serverOptions.withPort(grpcPort));
      }
    } catch (RuntimeException e) {
      server.close();
      executor.close();
      throw e;
    }
    InferenceGrpcServer grpc = grpcServer;
    PrintWriter out = spec.commandLine().getOut();
    printServing(out, server, grpc, executor);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("surge serve: shutting down");
                  out.flush();
                  // the servers first: they drain the requests in flight, which need the executor
                  if (grpc != null) {
                    grpc.close();
                  }
                  server.close();
                  executor.close();
                  stopped.countDown();
                },
                "surge-serve-shutdown"));
    stopped.await();
    return 0;
  }

  /** The emulated device the options describe, or null for --device cpu. */
  private EmulatedDevice emulatedDevice() {
    if (device == Device.cpu) {
      if (profile != null || disturb != null || scale != 1.0) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--profile, --scale and --disturb need --device emulated");
      }
      return null;
    }
    if (profile == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--device emulated needs --profile FILE");
    }
    try {
      DisturbanceSpec disturbances = DisturbanceSpec.parse(disturb);
      return EmulatedDevice.of(LatencyProfile.load(profile), scale)
          .withConditions(DisturbanceConditions.forServer(disturbances, List.of(name), 0));
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private ServerOptions serverOptions() {
    if (intraOpThreads < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--intra-op-threads must be >= 0, got " + intraOpThreads);
    }
    if (grpcPort != null && (grpcPort < 0 || grpcPort > 65535)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--grpc-port " + grpcPort + " is not a TCP port");
    }
    try {
      return ServerOptions.defaults()
          .withHost(host)
          .withPort(port)
          .withServerInfo(name, SurgeCli.VERSION)
          .withHttpTransport(httpTransport);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private void printServing(
      PrintWriter out,
      InferenceHttpServer server,
      InferenceGrpcServer grpc,
      DeviceExecutor executor) {
    out.printf(
        Locale.ROOT,
        "surge serve: %s serving %d models at %s%s (dynamic batching %s, %s)%n",
        name,
        executor.models().size(),
        server.baseUri(),
        grpc == null ? "" : " and " + grpc.baseUri(),
        noBatching ? "off" : "on",
        device == Device.cpu
            ? "ONNX Runtime on the CPU, " + intraOpThreads + " intra-op threads"
            : "emulated device: "
                + profile
                + " x "
                + scale
                + (disturb == null ? "" : ", disturbances " + DisturbanceSpec.parse(disturb)));
    for (ModelInfo model : executor.models()) {
      out.printf(
          Locale.ROOT,
          "  %-16s version %s  max batch %d%s%n",
          model.name(),
          model.version(),
          model.maxBatchSize(),
          model.parameters().containsKey("accuracy")
              ? "  accuracy " + model.parameters().get("accuracy") + " %"
              : "");
    }
    out.println("Ctrl-C or SIGTERM stops it.");
    out.flush();
  }
}
