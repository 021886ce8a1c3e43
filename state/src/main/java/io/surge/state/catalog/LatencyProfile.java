package io.surge.state.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * The profile (DESIGN.md section 6), written by {@code surge profile}: measured latency (median and
 * p95, milliseconds) per server, model and batch size. The simulator and {@code greedy-slo} predict
 * service times from it.
 */
public record LatencyProfile(String createdAt, String note, List<Entry> entries)
    implements Serializable {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public LatencyProfile {
    entries =
        entries.stream()
            .sorted(
                Comparator.comparing(Entry::server)
                    .thenComparing(Entry::model)
                    .thenComparingInt(Entry::batch))
            .toList();
  }

  /** One measurement: a model at one batch size on one server. */
  public record Entry(
      String server, String model, int batch, double medianMs, double p95Ms, int samples)
      implements Serializable {}

  /**
   * Predicted median latency of one execution of {@code model} at {@code batch} on {@code server}:
   * the measured value, linear interpolation between measured batch sizes, or linear extrapolation
   * from the two largest. When the server was not profiled, the first server that was is used.
   *
   * @throws IllegalArgumentException when the model was never profiled
   */
  public double medianMs(String server, String model, int batch) {
    List<Entry> rows = rows(server, model);
    Entry lo = null;
    Entry hi = null;
    for (Entry e : rows) {
      if (e.batch() == batch) {
        return e.medianMs();
      }
      if (e.batch() < batch) {
        lo = e;
      } else if (hi == null) {
        hi = e;
      }
    }
    if (lo == null) {
      return hi.medianMs() * batch / hi.batch();
    }
    if (hi == null) {
      Entry prev = rows.size() >= 2 ? rows.get(rows.size() - 2) : null;
      if (prev == null) {
        return lo.medianMs() * batch / lo.batch();
      }
      double slope = (lo.medianMs() - prev.medianMs()) / (lo.batch() - prev.batch());
      return lo.medianMs() + slope * (batch - lo.batch());
    }
    double f = (double) (batch - lo.batch()) / (hi.batch() - lo.batch());
    return lo.medianMs() + f * (hi.medianMs() - lo.medianMs());
  }

  private List<Entry> rows(String server, String model) {
    List<Entry> rows =
        entries.stream().filter(e -> e.server().equals(server) && e.model().equals(model)).toList();
    if (rows.isEmpty()) {
      rows = entries.stream().filter(e -> e.model().equals(model)).toList();
      if (!rows.isEmpty()) {
        String first = rows.get(0).server();
        rows = rows.stream().filter(e -> e.server().equals(first)).toList();
      }
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("model '" + model + "' is not in the profile");
    }
    return rows;
  }

  public static LatencyProfile load(Path file) {
    try {
      return JSON.readValue(file.toFile(), LatencyProfile.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read profile " + file + ": " + e.getMessage(), e);
    }
  }

  public void write(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      JSON.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write profile " + file, e);
    }
  }
}
