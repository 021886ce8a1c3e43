package io.surge.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.apache.commons.io.FileUtils;
import picocli.CommandLine.Option;

/**
 * The {@code --repository} option of the serving benchmarks, and the ladder they generate into a
 * temporary directory (and delete after) when it is not given.
 */
final class BenchRepositoryOption {

  @Option(
      names = "--repository",
      paramLabel = "DIR",
      description =
          "Model repository (default: the command's ladder, generated into a temp dir and deleted"
              + " after).")
  Path repository;

  /** What a benchmark does with its repository. */
  interface Body<T> {
    T run(Path repository) throws IOException;
  }

  /**
   * Runs {@code body} on the given repository, or on one {@code generate} writes into a fresh
   * temporary directory (named {@code what} in the progress line).
   */
  <T> T run(String what, UnaryOperator<Path> generate, PrintStream out, Body<T> body)
      throws IOException {
    if (repository != null) {
      return body.run(repository);
    }
    Path generated = Files.createTempDirectory("surge-bench-");
    out.println("generating " + what + " into " + generated);
    try {
      return body.run(generate.apply(generated));
    } finally {
      FileUtils.deleteDirectory(generated.toFile());
    }
  }
}
