package io.surge.policy.baseline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tunable parameters of the heuristic baselines ({@code greedy-slo}, {@code threshold}, {@code
 * proteus-like}), as written in {@code deploy/policies/baselines.yaml}. The shipped file is a
 * classpath resource ({@link #SHIPPED_RESOURCE}) read once by {@link #shipped()}, so every place
 * that names a baseline gets the tuned values unless it passes its own.
 */
public record BaselineParameters(
    @JsonProperty("greedy-slo") GreedySlo greedySlo,
    @JsonProperty("threshold") Threshold threshold,
    @JsonProperty("proteus-like") ProteusLike proteusLike) {

  public static final String SHIPPED_RESOURCE = "/surge/policies/baselines.yaml";

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public BaselineParameters {
    if (greedySlo == null || threshold == null || proteusLike == null) {
      throw new IllegalArgumentException(
          "baseline parameters need greedy-slo, threshold and proteus-like sections");
    }
  }

  /**
   * {@code greedy-slo}: predicted latency {@code profile × max(1, r)^ratioExponent + marginMs} must
   * fit the slack, r being the observed-over-predicted latency ratio of the work in flight; a
   * variant whose requests in flight end late more often than {@code lateRateLevel} is passed over.
   *
   * @param marginMs overhead the profile does not see (protocol, Kafka, completion loop)
   * @param ratioExponent 0: trust the profile (the untuned policy); 1: scale by the full ratio
   * @param lateRateLevel late-rate EWMA above which a busy variant is skipped; 1 turns it off
   */
  public record GreedySlo(
      @JsonProperty("margin_ms") double marginMs,
      @JsonProperty("ratio_exponent") double ratioExponent,
      @JsonProperty("late_rate_level") double lateRateLevel) {

    /** The policy as it was before it learned to look at its own errors. */
    public static final GreedySlo PROFILE_ONLY = new GreedySlo(0, 0, 1);

    public GreedySlo {
      if (!(marginMs >= 0) || !(ratioExponent >= 0) || !(lateRateLevel > 0 && lateRateLevel <= 1)) {
        throw new IllegalArgumentException(
            "greedy-slo: margin_ms >= 0, ratio_exponent >= 0, 0 < late_rate_level <= 1 needed");
      }
    }
  }

  /**
   * {@code threshold}: levels derived from capacity ({@link ThresholdPolicy#withDefaultLevels}).
   *
   * @param utilisation fraction of a variant's capacity at which the rate steps down from it
   * @param rateScale which rate estimator (time-scale index) is compared
   */
  public record Threshold(
      @JsonProperty("utilisation") double utilisation, @JsonProperty("rate_scale") int rateScale) {

    public Threshold {
      if (!(utilisation > 0) || rateScale < 0) {
        throw new IllegalArgumentException("threshold: utilisation > 0, rate_scale >= 0 needed");
      }
    }
  }

  /**
   * {@code proteus-like}: see {@link ProteusLikePolicy}.
   *
   * @param utilisation target load of the servers the planned mix may reach (rho)
   * @param replanSeconds how often the mix is re-planned, on the decision clock
   * @param rateScale which rate estimator (time-scale index) the plan is made for
   */
  public record ProteusLike(
      @JsonProperty("utilisation") double utilisation,
      @JsonProperty("replan_seconds") double replanSeconds,
      @JsonProperty("rate_scale") int rateScale) {

    public ProteusLike {
      if (!(utilisation > 0) || !(replanSeconds > 0) || rateScale < 0) {
        throw new IllegalArgumentException(
            "proteus-like: utilisation > 0, replan_seconds > 0, rate_scale >= 0 needed");
      }
    }
  }

  /** Hand-picked starting points, before any tuning: what the tuner compares against. */
  public static BaselineParameters untuned() {
    return new BaselineParameters(
        GreedySlo.PROFILE_ONLY, new Threshold(0.8, 1), new ProteusLike(0.8, 1.0, 1));
  }

  /** The tuned parameters shipped in {@code deploy/policies/baselines.yaml}. */
  public static BaselineParameters shipped() {
    return Shipped.VALUE;
  }

  public static BaselineParameters load(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read baseline parameters " + file, e);
    }
  }

  public static BaselineParameters parse(String yaml) {
    try {
      return YAML.readValue(yaml, BaselineParameters.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("bad baseline parameters: " + e.getMessage(), e);
    }
  }

  /** YAML text with a comment header (e.g. the command that produced the values). */
  public String toYaml(String header) {
    StringBuilder sb = new StringBuilder();
    for (String line : header.split("\n", -1)) {
      sb.append("# ").append(line).append('\n');
    }
    try {
      return sb.append(YAML.writeValueAsString(this)).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lazy holder: the resource is read on first use only. */
  private static final class Shipped {
    static final BaselineParameters VALUE = read();

    private static BaselineParameters read() {
      try (InputStream in = BaselineParameters.class.getResourceAsStream(SHIPPED_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("missing classpath resource " + SHIPPED_RESOURCE);
        }
        return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
