package io.surge.cli;

import io.surge.serving.engine.ModelInfo;
import io.surge.serving.engine.OnnxModelExecutor;
import io.surge.serving.server.InferenceHttpServer;
import io.surge.serving.server.ServerOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
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
      "Serves a model repository over KServe v2 HTTP (the embedded inference server).",
      "Serves the models of a Triton-style repository over the Open Inference Protocol (KServe"
          + " v2 HTTP) on ONNX Runtime, one execution at a time with per-model dynamic batching."
          + " Runs until SIGTERM or Ctrl-C, then stops accepting, drains and exits."
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
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind, 0.0.0.0 for all (default: ${DEFAULT-VALUE}).")
  String host;

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

  @Override
  public Integer call() throws InterruptedException {
    ServerOptions serverOptions = serverOptions();
    OnnxModelExecutor executor =
        OnnxModelExecutor.open(
            repository,
            OnnxModelExecutor.Options.defaults()
                .withDynamicBatching(!noBatching)
                .withIntraOpThreads(intraOpThreads));
    InferenceHttpServer server;
    try {
      server = InferenceHttpServer.start(executor, serverOptions);
    } catch (RuntimeException e) {
      executor.close();
      throw e;
    }
    PrintWriter out = spec.commandLine().getOut();
    printServing(out, server, executor);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("surge serve: shutting down");
                  out.flush();
                  // the server first: it drains the requests in flight, which need the executor
                  server.close();
                  executor.close();
                  stopped.countDown();
                },
                "surge-serve-shutdown"));
    stopped.await();
    return 0;
  }

  private ServerOptions serverOptions() {
    if (intraOpThreads < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--intra-op-threads must be >= 0, got " + intraOpThreads);
    }
    try {
      return ServerOptions.defaults()
          .withHost(host)
          .withPort(port)
          .withServerInfo(name, SurgeCli.VERSION);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private void printServing(
      PrintWriter out, InferenceHttpServer server, OnnxModelExecutor executor) {
    out.printf(
        Locale.ROOT,
        "surge serve: %s serving %d models at %s (dynamic batching %s, %d intra-op threads)%n",
        name,
        executor.models().size(),
        server.baseUri(),
        noBatching ? "off" : "on",
        intraOpThreads);
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
