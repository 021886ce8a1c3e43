package io.surge.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code surge} command line: one subcommand per user task (DESIGN.md section 5). */
@Command(
    name = "surge",
    mixinStandardHelpOptions = true,
    version = "surge 0.1.0",
    description = "Scheduling deep-learning inference at the edge under bursty load.",
    subcommands = {CommandLine.HelpCommand.class, BenchCommand.class})
public final class SurgeCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    // the JDK HTTP server reads this once, when the first server starts: without it every answer
    // waits ~40 ms for Nagle's algorithm (see InferenceHttpServer)
    System.setProperty("sun.net.httpserver.nodelay", "true");
    System.exit(commandLine().execute(args));
  }

  /** The command tree, also used by tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new SurgeCli()).setCaseInsensitiveEnumValuesAllowed(true);
  }
}
