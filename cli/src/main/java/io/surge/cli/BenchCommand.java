package io.surge.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code surge bench}: benchmarks that print figures. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks that print figures (not tests).",
    subcommands = {
      BenchServingCommand.class,
      BenchProtocolsCommand.class,
      JobBenchCommand.class,
      BenchEmulatedCommand.class
    })
public final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }
}
