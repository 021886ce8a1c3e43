package io.surge.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The observation a policy sees: ordered named features of one frame, the number of history frames
 * stacked after it, and the action count. Its {@link #hash()} (SHA-256 of the canonical text, hex
 * prefix) goes into every policy's metadata ({@code surge.spec_hash}); a policy whose hash differs
 * is refused, because its inputs would mean something else.
 *
 * <p>Vector layout: frame 0 is the current request, frames 1..K the previous decisions of the
 * service (most recent first, zeros until seen). Per frame, in order: {@code slack_deadlines}, one
 * {@code load_tau<ms>} per rate time scale, {@code interarrival_cv2}, {@code
 * inflight_capacity_deadlines}, {@code recent_reward}, {@code shed_rate}, then per variant i
 * (catalog order): {@code v<i>.queue_deadlines}, {@code v<i>.latency_deadlines}, {@code
 * v<i>.late_rate}, {@code v<i>.predicted_deadlines}, {@code v<i>.observed_over_predicted}.
 *
 * <p>Features are in units of the service and its profile, not in milliseconds or requests/s, so
 * that one policy carries over to a faster or slower site: times are in deadlines, arrival rates
 * ("load") are over the reference capacity C of {@link LatencyTable#referenceCapacityPerSecond},
 * queues are in how many deadlines their variant's servers need to clear them, and latency is also
 * given as observed over predicted (1 while the profile holds).
 *
 * <p>A spec may also declare <em>privileged</em> features, appended once after the last history
 * frame: facts only a simulator knows (the true arrivals of the next second, a server's true
 * slow-down), for the {@code oracle} baseline. They change the hash; a spec without them hashes
 * exactly as before they existed.
 */
public final class ObservationSpec {

  /** Bumped whenever the meaning of a feature changes without its name changing. */
  public static final int VERSION = 2;

  /** Predicted latency, in deadlines, of a variant that no healthy server hosts. */
  public static final float UNAVAILABLE_DEADLINES = 100f;

  static final int FEATURES_PER_VARIANT = 5;

  /** Every privileged feature name starts with this. */
  public static final String PRIVILEGED_PREFIX = "privileged.";

  private final EstimatorSettings settings;
  private final int variants;
  private final List<String> frameFeatures;
  private final List<String> privilegedFeatures;
  private final String hash;

  public ObservationSpec(int variants, EstimatorSettings settings) {
    this(variants, settings, List.of());
  }

  private ObservationSpec(int variants, EstimatorSettings settings, List<String> privileged) {
    if (variants < 1) {
      throw new IllegalArgumentException("a service needs at least one variant");
    }
    for (String name : privileged) {
      if (!name.startsWith(PRIVILEGED_PREFIX) || name.length() == PRIVILEGED_PREFIX.length()) {
        throw new IllegalArgumentException(
            "privileged feature names start with '" + PRIVILEGED_PREFIX + "': " + name);
      }
    }
    if (privileged.stream().distinct().count() != privileged.size()) {
      throw new IllegalArgumentException("privileged feature declared twice: " + privileged);
    }
    this.settings = settings;
    this.variants = variants;
    this.frameFeatures = List.copyOf(frameFeatureNames(variants, settings));
    this.privilegedFeatures = List.copyOf(privileged);
    this.hash = sha256Prefix(canonical());
  }

  /**
   * This spec with {@code names} appended as privileged features (after the history), each starting
   * with {@value #PRIVILEGED_PREFIX}; the vector and the hash change accordingly.
   */
  public ObservationSpec withPrivileged(List<String> names) {
    List<String> all = new ArrayList<>(privilegedFeatures);
    all.addAll(names);
    return new ObservationSpec(variants, settings, all);
  }

  public static ObservationSpec of(ServiceTopology topology, EstimatorSettings settings) {
    return new ObservationSpec(topology.variantCount(), settings);
  }

  private static List<String> frameFeatureNames(int variants, EstimatorSettings settings) {
    List<String> names = new ArrayList<>();
    names.add("slack_deadlines");
    for (int i = 0; i < settings.rateScales(); i++) {
      names.add("load_tau" + Math.round(settings.rateTimeConstantMs(i)) + "ms");
    }
    names.add("interarrival_cv2");
    names.add("inflight_capacity_deadlines");
    names.add("recent_reward");
    names.add("shed_rate");
    for (int v = 0; v < variants; v++) {
      names.add("v" + v + ".queue_deadlines");
      names.add("v" + v + ".latency_deadlines");
      names.add("v" + v + ".late_rate");
      names.add("v" + v + ".predicted_deadlines");
      names.add("v" + v + ".observed_over_predicted");
    }
    return names;
  }

  /** Index of the first per-variant feature in a frame. */
  int variantBlockOffset() {
    return settings.rateScales() + 5;
  }

  /** The text that is hashed: version, estimator parameters, features, history, actions. */
  public String canonical() {
    return "surge-observation/v"
        + VERSION
        + "\nestimators="
        + settings.canonical()
        + "\nunavailable_deadlines="
        + UNAVAILABLE_DEADLINES
        + "\nframe="
        + String.join(",", frameFeatures)
        + "\nhistory="
        + settings.historyLength()
        + "\nactions="
        + actionCount()
        + "\n"
        + (privilegedFeatures.isEmpty()
            ? ""
            : "privileged=" + String.join(",", privilegedFeatures) + "\n");
  }

  /** First 16 hex chars (64 bits) of the SHA-256 of {@link #canonical()}. */
  public String hash() {
    return hash;
  }

  public EstimatorSettings settings() {
    return settings;
  }

  public int variants() {
    return variants;
  }

  /** Variants + shed. */
  public int actionCount() {
    return variants + 1;
  }

  public int historyLength() {
    return settings.historyLength();
  }

  /** Features per frame (F). */
  public int frameSize() {
    return frameFeatures.size();
  }

  /** Length of the observation vector: F * (K + 1), plus the privileged features. */
  public int dimension() {
    return privilegedOffset() + privilegedFeatures.size();
  }

  /** Index of the first privileged feature: F * (K + 1). */
  public int privilegedOffset() {
    return frameSize() * (historyLength() + 1);
  }

  public List<String> frameFeatures() {
    return frameFeatures;
  }

  /** The privileged features in vector order; empty for a spec the scheduler can serve. */
  public List<String> privilegedFeatures() {
    return privilegedFeatures;
  }

  /** Names of every element of the vector: frame features, suffixed {@code @t-k} for history. */
  public List<String> featureNames() {
    List<String> all = new ArrayList<>(dimension());
    all.addAll(frameFeatures);
    for (int k = 1; k <= historyLength(); k++) {
      for (String f : frameFeatures) {
        all.add(f + "@t-" + k);
      }
    }
    all.addAll(privilegedFeatures);
    return all;
  }

  private static String sha256Prefix(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  @Override
  public String toString() {
    return "ObservationSpec[" + hash + ", D=" + dimension() + ", A=" + actionCount() + "]";
  }
}
