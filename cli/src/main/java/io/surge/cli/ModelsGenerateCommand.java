package io.surge.cli;

import io.surge.serving.ladder.GeneratedLadder;
import io.surge.serving.ladder.LadderOptions;
import io.surge.serving.ladder.ModelLadder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code surge models generate}: writes a model ladder and its catalog. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a model ladder and its catalog.",
      "Writes a model ladder: one ONNX model per variant in a Triton-style model repository"
          + " (<out>/<variant>/1/model.onnx, <out>/<variant>/config.pbtxt) and the catalog"
          + " <out>/catalog.yaml."
    })
final class ModelsGenerateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(
      names = "--scale",
      defaultValue = "1.0",
      description =
          "Width multiplier in (0, 4]: 1 = the calibrated ladder, 0.05 = tiny models with"
              + " the same names and accuracies (default: ${DEFAULT-VALUE}).")
  double scale;

  @Option(
      names = "--service",
      defaultValue = LadderOptions.DEFAULT_SERVICE,
      description = "Service name in the catalog (default: ${DEFAULT-VALUE}).")
  String service;

  @Option(
      names = "--deadline-ms",
      defaultValue = "" + LadderOptions.DEFAULT_DEADLINE_MS,
      description =
          "The service's latency SLO; also the models' queue timeout"
              + " (default: ${DEFAULT-VALUE}).")
  int deadlineMs;

  @Option(
      names = "--server",
      paramLabel = "NAME=URL",
      description =
          "A server of the catalog hosting every variant; repeatable"
              + " (default: edge-0=http://127.0.0.1:8000).")
  List<String> servers = new ArrayList<>();

  @Option(
      names = "--zero-compute",
      description = "Write zero-compute stand-ins (Flatten + Slice) instead of the real models.")
  boolean zeroCompute;

  @Option(
      names = "--seed",
      defaultValue = "" + LadderOptions.DEFAULT_SEED,
      description = "Seed of the weights (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    LadderOptions options = options();
    GeneratedLadder ladder = ModelLadder.generate(out, options);
    PrintWriter w = spec.commandLine().getOut();
    w.printf(Locale.ROOT, "wrote %d models to %s:%n", ladder.models().size(), out);
    for (GeneratedLadder.Model m : ladder.models()) {
      w.printf(
          Locale.ROOT,
          "  %-16s accuracy %6.2f %%  %8.2f MB  %s%n",
          m.name(),
          m.accuracy(),
          m.modelBytes() / 1e6,
          m.architecture());
    }
    w.printf(
        Locale.ROOT,
        "total %.2f MB; catalog %s%n",
        ladder.totalModelBytes() / 1e6,
        ladder.catalogFile());
    w.flush();
    return 0;
  }

  /** The options the flags describe; a bad value is a usage error naming the flag's rule. */
  private LadderOptions options() {
    try {
      LadderOptions options =
          LadderOptions.defaults()
              .withService(service)
              .withDeadlineMs(deadlineMs)
              .withScale(scale)
              .withSeed(seed)
              .withZeroCompute(zeroCompute);
      if (!servers.isEmpty()) {
        options =
            options.withServers(servers.stream().map(LadderOptions.ServerSpec::parse).toList());
      }
      return options;
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
