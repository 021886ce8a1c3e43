package io.surge.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the {@code surge} command line in-process, capturing what it prints. */
public final class CliRun {

  public final StringWriter out = new StringWriter();
  public final StringWriter err = new StringWriter();

  /** Runs one command line; returns its exit code. */
  public int run(String... args) {
    CommandLine cli = SurgeCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }
}
