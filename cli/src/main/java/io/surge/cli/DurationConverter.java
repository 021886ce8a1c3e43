package io.surge.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Reads durations as people write them: {@code 60s}, {@code 2m}, {@code 500ms}, {@code 90}
 * (seconds), and ISO-8601 ({@code PT60S}) as well. Registered for every {@link Duration} option of
 * the command line, so all commands take the same format.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h)?");

  @Override
  public Duration convert(String value) {
    if (value.trim().toUpperCase(Locale.ROOT).startsWith("PT")) {
      try {
        return Duration.parse(value.trim());
      } catch (DateTimeParseException e) {
        throw notADuration(value);
      }
    }
    Matcher m = FORM.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw notADuration(value);
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double millis =
        switch (unit) {
          case "ms" -> amount;
          case "m", "min" -> amount * 60_000;
          case "h" -> amount * 3_600_000;
          default -> amount * 1000;
        };
    return Duration.ofMillis(Math.round(millis));
  }

  private static CommandLine.TypeConversionException notADuration(String value) {
    return new CommandLine.TypeConversionException(
        "'" + value + "' is not a duration: use e.g. 60s, 2m, 500ms (a bare number is seconds)");
  }
}
