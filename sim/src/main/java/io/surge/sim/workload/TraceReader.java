package io.surge.sim.workload;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * Reads arrival times from a CSV with a header row and either an {@code arrival_ms} column
 * (milliseconds, any origin) or a {@code TIMESTAMP} column ({@code 2023-11-16 18:15:46.6805900}:
 * date, time, up to nine fraction digits, no zone). Other columns are ignored. Times are sorted and
 * shifted so that the first arrival is at 0 seconds.
 */
final class TraceReader {

  static final String ARRIVAL_MS = "arrival_ms";
  static final String TIMESTAMP = "TIMESTAMP";

  private static final DateTimeFormatter TIMESTAMP_FORMAT =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd")
          .optionalStart()
          .appendLiteral(' ')
          .optionalEnd()
          .optionalStart()
          .appendLiteral('T')
          .optionalEnd()
          .appendPattern("HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .toFormatter();

  private TraceReader() {}

  /**
   * @throws TraceFormatException naming the file, line and problem
   */
  static double[] read(Path file) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      if (header == null) {
        throw new TraceFormatException(file + " is empty");
      }
      String[] columns = split(header.replace("\uFEFF", ""));
      int column = columnIndex(columns, ARRIVAL_MS);
      boolean millis = column >= 0;
      if (!millis) {
        column = columnIndex(columns, TIMESTAMP);
      }
      if (column < 0) {
        throw new TraceFormatException(
            file
                + " has no "
                + TIMESTAMP
                + " or "
                + ARRIVAL_MS
                + " column (header: "
                + header
                + ")");
      }
      return normalise(file, readTimes(file, in, column, millis));
    }
  }

  private static double[] readTimes(Path file, BufferedReader in, int column, boolean millis)
      throws IOException {
    double[] times = new double[1024];
    int n = 0;
    LocalDateTime origin = null;
    int lineNumber = 1;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      String[] fields = split(line);
      if (column >= fields.length) {
        throw new TraceFormatException(file + " line " + lineNumber + ": too few columns");
      }
      String field = fields[column];
      double seconds;
      if (millis) {
        seconds = parseMillis(file, lineNumber, field) / 1000.0;
      } else {
        LocalDateTime time = parseTimestamp(file, lineNumber, field);
        origin = origin == null ? time : origin;
        seconds = ChronoUnit.NANOS.between(origin, time) / 1e9;
      }
      if (n == times.length) {
        times = Arrays.copyOf(times, n * 2);
      }
      times[n++] = seconds;
    }
    return Arrays.copyOf(times, n);
  }

  private static double[] normalise(Path file, double[] times) {
    if (times.length < 2) {
      throw new TraceFormatException(file + " needs at least two arrivals, has " + times.length);
    }
    Arrays.sort(times);
    double first = times[0];
    for (int i = 0; i < times.length; i++) {
      times[i] -= first;
    }
    if (times[times.length - 1] <= 0) {
      throw new TraceFormatException(file + ": all arrivals are at the same instant");
    }
    return times;
  }

  private static double parseMillis(Path file, int line, String field) {
    try {
      double ms = Double.parseDouble(field);
      if (Double.isFinite(ms)) {
        return ms;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new TraceFormatException(
        file + " line " + line + ": " + ARRIVAL_MS + " '" + field + "' is not a number");
  }

  private static LocalDateTime parseTimestamp(Path file, int line, String field) {
    try {
      return LocalDateTime.parse(field, TIMESTAMP_FORMAT);
    } catch (DateTimeParseException e) {
      throw new TraceFormatException(
          file
              + " line "
              + line
              + ": "
              + TIMESTAMP
              + " '"
              + field
              + "' is not like 2023-11-16 18:15:46.6805900");
    }
  }

  private static int columnIndex(String[] columns, String name) {
    for (int i = 0; i < columns.length; i++) {
      if (columns[i].equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  /** Splits a simple CSV line (no commas inside fields), trimming spaces and quotes. */
  private static String[] split(String line) {
    String[] fields = line.split(",", -1);
    for (int i = 0; i < fields.length; i++) {
      String f = fields[i].strip();
      if (f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"")) {
        f = f.substring(1, f.length() - 1).strip();
      }
      fields[i] = f;
    }
    return fields;
  }

  /** A trace file that cannot be read as arrival times. */
  static final class TraceFormatException extends RuntimeException {
    TraceFormatException(String message) {
      super(message);
    }
  }
}
