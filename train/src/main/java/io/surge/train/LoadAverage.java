package io.surge.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's 1-minute load average from {@code /proc/loadavg}, recorded beside timings: other
 * work on the two shared cores slows training and evaluation.
 */
public final class LoadAverage {

  private static final Path PROC_LOADAVG = Path.of("/proc/loadavg");

  private LoadAverage() {}

  /** The 1-minute load average, or NaN where {@code /proc/loadavg} cannot be read. */
  public static double oneMinute() {
    try {
      String text = Files.readString(PROC_LOADAVG).trim();
      return Double.parseDouble(text.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
