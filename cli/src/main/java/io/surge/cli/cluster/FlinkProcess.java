package io.surge.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One JVM of the local cluster (JobManager, TaskManager, CLI): its log4j file ({@code <name>.log})
 * and its stdout and stderr ({@code <name>.out}) under the cluster's log directory.
 */
public final class FlinkProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path logFile;
  private final Path outFile;

  private FlinkProcess(String name, Process process, Path logFile, Path outFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.outFile = outFile;
  }

  /**
   * Starts {@code command}. The classpath travels in the environment ({@code CLASSPATH}): ONNX
   * Runtime 1.29 crashes a JVM whose command line is longer than about 4 KB.
   */
  public static FlinkProcess start(
      String name, List<String> command, Map<String, String> env, Path workDir, Path logDir) {
    Path outFile = logDir.resolve(name + ".out");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(outFile.toFile());
    builder.environment().putAll(env);
    try {
      return new FlinkProcess(name, builder.start(), logDir.resolve(name + ".log"), outFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, or throws when the process has not ended within {@code seconds}. */
  public int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new Await.TimeoutError(name + " still running after " + seconds + " s");
    }
    return process.exitValue();
  }

  /** SIGKILL (what {@code destroyForcibly} sends on Linux), then waits until it is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Everything the process wrote to stdout and stderr. */
  public String output() {
    return read(outFile);
  }

  /** The last {@code lines} of its log file and of its stdout/stderr. */
  public String tail(int lines) {
    return "----- "
        + name
        + " (pid "
        + pid()
        + (isAlive() ? ", alive" : ", exit " + process.exitValue())
        + ") "
        + logFile
        + " -----\n"
        + lastLines(read(logFile), lines)
        + "----- "
        + outFile
        + " -----\n"
        + lastLines(read(outFile), lines);
  }

  @Override
  public void close() throws InterruptedException {
    if (isAlive()) {
      kill();
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")\n";
    }
  }

  private static String lastLines(String text, int lines) {
    String[] all = text.split("\n", -1);
    int from = Math.max(0, all.length - lines - 1);
    return String.join("\n", List.of(all).subList(from, all.length)) + "\n";
  }
}
