package io.surge.cli;

import io.surge.cli.demo.DemoException;
import io.surge.cli.sql.SqlException;
import io.surge.serving.engine.ModelRepositoryException;
import io.surge.serving.profile.ProfileException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code surge} command line: one subcommand per user task (DESIGN.md section 5). */
@Command(
    name = "surge",
    mixinStandardHelpOptions = true,
    version = "surge " + SurgeCli.VERSION,
    description = "Scheduling deep-learning inference at the edge under bursty load.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      ModelsCommand.class,
      ServeCommand.class,
      ProfileCommand.class,
      TopicsCommand.class,
      LoadCommand.class,
      PublishCommand.class,
      PoliciesCommand.class,
      SqlCommand.class,
      ReportCommand.class,
      BenchCommand.class,
      TrainCommand.class,
      DistilCommand.class,
      LearnCommand.class,
      EvaluateCommand.class,
      ChaosCommand.class
    })
public final class SurgeCli implements Runnable {

  public static final String VERSION = "0.1.0";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    // the JDK HTTP server reads this once, when the first server starts: without it every answer
    // waits ~40 ms for Nagle's algorithm (see JdkHttpFrontEnd; used with --http-transport jdk)
    System.setProperty("sun.net.httpserver.nodelay", "true");
    System.exit(commandLine().execute(args));
  }

  /** The command tree, also used by tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new SurgeCli())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .registerConverter(java.time.Duration.class, new DurationConverter())
        .setExecutionExceptionHandler(SurgeCli::reportFailure);
  }

  /**
   * A command that failed on bad input (a missing repository, an unreachable server) prints one
   * line and exits 1; anything else is a bug and also prints its stack trace.
   */
  private static int reportFailure(
      Exception e, CommandLine command, CommandLine.ParseResult parsed) {
    command
        .getErr()
        .println(command.getCommandSpec().qualifiedName() + ": error: " + e.getMessage());
    if (!isUserError(e)) {
      e.printStackTrace(command.getErr());
    }
    command.getErr().flush();
    return 1;
  }

  private static boolean isUserError(Exception e) {
    return e instanceof IllegalArgumentException
        || e instanceof UncheckedIOException
        || e instanceof ModelRepositoryException
        || e instanceof ProfileException
        || e instanceof DemoException
        || e instanceof SqlException
        || e instanceof java.io.IOException;
  }
}
