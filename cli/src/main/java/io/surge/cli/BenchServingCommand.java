package io.surge.cli;

import io.surge.cli.bench.ServingBenchmark;
import io.surge.cli.bench.ServingBenchmarkReport;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code surge bench serving}: the embedded server under load vs direct ONNX Runtime. */
@Command(
    name = "serving",
    mixinStandardHelpOptions = true,
    description = {
      "The embedded server under load vs direct ONNX Runtime, batching on vs off.",
      "Benchmarks the embedded server in this JVM: a closed-loop client sweep over HTTP, server"
          + " throughput vs direct ONNX Runtime on the batches the server formed, dynamic"
          + " batching on vs off, and every model's batch-size curve. Takes about a minute or two;"
          + " `nice -n -10` helps on a shared machine."
    })
final class BenchServingCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin BenchRepositoryOption repository = new BenchRepositoryOption();

  @Option(
      names = "--model",
      defaultValue = "resnet50-like",
      description = "Model under load (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--seconds",
      defaultValue = "3",
      description = "Measurement window of each load point (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--clients",
      split = ",",
      defaultValue = "1,2,4,8,16,32,64",
      description = "Closed-loop client counts of the sweep (default: ${DEFAULT-VALUE}).")
  List<Integer> clients;

  @Override
  public Integer call() throws IOException {
    ServingBenchmark.Settings settings = settings();
    PrintStream out = System.out;
    return repository.run(
        "the full ladder",
        ServingBenchmark::generateLadder,
        out,
        repo -> {
          ServingBenchmark.Result result = ServingBenchmark.run(repo, settings, out);
          out.println();
          out.println("<!-- surge bench serving: markdown -->");
          out.print(ServingBenchmarkReport.markdown(result));
          return 0;
        });
  }

  private ServingBenchmark.Settings settings() {
    if (!(seconds > 0 && seconds <= 600)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--seconds must be in (0, 600], got " + seconds);
    }
    ServingBenchmark.Settings defaults = ServingBenchmark.Settings.defaults();
    try {
      return new ServingBenchmark.Settings(
          model,
          defaults.warmup(),
          Duration.ofMillis(Math.round(seconds * 1000)),
          clients,
          defaults.curveBatches(),
          defaults.intraOpThreads(),
          defaults.requestTimeout());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
