package io.surge.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code surge bench}: benchmarks that print figures. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks; they print figures and a markdown table.",
    subcommands = {BenchServingCommand.class})
final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }
}
