package io.surge.cli;

import io.surge.cli.bench.ProtocolBenchmark;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "protocols",
    mixinStandardHelpOptions = true,
    description = {
      "KServe v2 over HTTP vs gRPC: batch-1 overhead and saturation throughput.",
      "Serves a zero-compute model over both front ends of one embedded server (one executor,"
          + " as `surge serve --grpc-port`) and measures, per protocol, the batch-1 round trip of"
          + " one client less the server's compute (median and p99), then the calls/s and process"
          + " CPU per call of a closed loop at saturation. Client and server share this JVM."
    })
final class BenchProtocolsCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin BenchRepositoryOption repository = new BenchRepositoryOption();

  @Option(names = "--model", description = "Model under load (default: the repository's first).")
  String model;

  @Option(
      names = "--protocols",
      split = ",",
      defaultValue = "HTTP,GRPC",
      description =
          "Protocols in the order measured: HTTP (Netty), HTTP_JDK (the JDK's server and client),"
              + " GRPC; later ones find a warmer JVM, so run both orders (default:"
              + " ${DEFAULT-VALUE}).")
  List<ProtocolBenchmark.Transport> protocols;

  @Option(
      names = "--runs",
      defaultValue = "2000",
      description = "Timed batch-1 calls per protocol (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--clients",
      defaultValue = "32",
      description = "Closed-loop clients of the saturation point (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--seconds",
      defaultValue = "5",
      description = "Measurement window of the saturation point (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Override
  public Integer call() throws IOException {
    ProtocolBenchmark.Settings settings;
    try {
      settings =
          new ProtocolBenchmark.Settings(
              model,
              protocols,
              runs,
              clients,
              Duration.ofSeconds(1),
              Duration.ofMillis(Math.round(seconds * 1000)),
              Duration.ofSeconds(30));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintStream out = System.out;
    return repository.run(
        "the zero-compute ladder",
        ProtocolBenchmark::generateZeroComputeLadder,
        out,
        repo -> {
          ProtocolBenchmark.Result result = ProtocolBenchmark.run(repo, settings, out);
          out.println();
          out.println("<!-- surge bench protocols: markdown -->");
          out.print(ProtocolBenchmark.markdown(result));
          return 0;
        });
  }
}
