package io.surge.sim.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The simulator's calibration file (DESIGN.md section 6, {@code --calibration}): the servers'
 * execution-time profile (median and p95 per server, model and batch, the {@link LatencyProfile}
 * JSON form) and the measured distributions of the costs the real job adds around it.
 *
 * @param source where the numbers come from (a measurement, or how they were derived)
 * @param profile server execution time per model and batch size, without protocol overhead
 * @param creationToDecision from a request's creation to the scheduler's decision (Kafka, Flink)
 * @param protocolOverhead per call, the round trip minus the server's own time (both legs)
 * @param completionToScheduler from a result to the scheduler seeing its completion (the loop)
 */
public record Calibration(
    String source,
    LatencyProfile profile,
    DelayDistribution creationToDecision,
    DelayDistribution protocolOverhead,
    DelayDistribution completionToScheduler) {

  /**
   * Where the shipped default and its catalog live on the classpath ({@code deploy/calibration}).
   */
  public static final String DEFAULT_RESOURCE = "/surge/calibration/default.json";

  public static final String DEFAULT_CATALOG_RESOURCE = "/surge/calibration/catalog.yaml";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public Calibration {
    if (profile == null || profile.entries().isEmpty()) {
      throw new IllegalArgumentException("a calibration needs a non-empty profile");
    }
    if (creationToDecision == null || protocolOverhead == null || completionToScheduler == null) {
      throw new IllegalArgumentException(
          "a calibration needs creation_to_decision, protocol_overhead and"
              + " completion_to_scheduler");
    }
  }

  /** This calibration with every execution time (median and p95) multiplied by {@code scale}. */
  public Calibration withLatencyScale(double scale) {
    if (!(scale > 0) || !Double.isFinite(scale)) {
      throw new IllegalArgumentException("latency scale must be a positive number: " + scale);
    }
    List<LatencyProfile.Entry> scaled =
        profile.entries().stream()
            .map(
                e ->
                    new LatencyProfile.Entry(
                        e.server(),
                        e.model(),
                        e.batch(),
                        e.medianMs() * scale,
                        e.p95Ms() * scale,
                        e.samples()))
            .toList();
    String note = profile.note() == null ? "" : profile.note() + "; ";
    return new Calibration(
        source,
        new LatencyProfile(profile.createdAt(), note + "latency scale " + scale, scaled),
        creationToDecision,
        protocolOverhead,
        completionToScheduler);
  }

  /** The calibration shipped with the project ({@code deploy/calibration/default.json}). */
  public static Calibration defaults() {
    return parse(resource(DEFAULT_RESOURCE));
  }

  /** The catalog the default calibration was derived for (the generated ladder, two servers). */
  public static Catalog defaultCatalog() {
    return Catalog.parse(resource(DEFAULT_CATALOG_RESOURCE));
  }

  public static Calibration read(Path file) {
    try {
      return JSON.readValue(file.toFile(), Calibration.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read calibration " + file + ": " + e.getMessage(), e);
    }
  }

  public static Calibration parse(String json) {
    try {
      return JSON.readValue(json, Calibration.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("invalid calibration: " + e.getMessage(), e);
    }
  }

  public void write(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      JSON.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write calibration " + file, e);
    }
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = Calibration.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
