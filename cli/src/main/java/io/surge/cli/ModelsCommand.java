package io.surge.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code surge models}: the model ladder. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = "Model ladders: Triton-style model repositories and their catalog.",
    subcommands = {ModelsGenerateCommand.class})
final class ModelsCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }
}
