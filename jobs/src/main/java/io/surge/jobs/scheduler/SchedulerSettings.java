package io.surge.jobs.scheduler;

import io.surge.jobs.config.SurgeOptions;
import io.surge.operators.invoke.InferenceCallFactory;
import io.surge.operators.invoke.KServeInferenceCall;
import io.surge.operators.invoke.MicroBatchSettings;
import io.surge.operators.invoke.MicroBatchingCall;
import io.surge.policy.baseline.FixedVariantPolicy;
import io.surge.policy.onnx.OnnxPolicy;
import io.surge.policy.onnx.ShippedPolicies;
import io.surge.state.Rewards;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * Everything the scheduling graph needs besides its sources and sinks, read once from the typed
 * options. Tests build it directly (e.g. with another {@link InferenceCallFactory}).
 *
 * @param initialPolicy a baseline name, {@code learned} (the shipped policy model), or the path of
 *     a policy ONNX file
 * @param policyMode how a policy model's probabilities become a decision (argmax by default)
 * @param calls the invoker's calls: KServe v2 over HTTP, micro-batched as the options say
 * @param overloadTripsBreaker whether call and queue timeouts open the invoker's breakers
 */
public record SchedulerSettings(
    Catalog catalog,
    LatencyProfile profile,
    String initialPolicy,
    int historyLength,
    Rewards rewards,
    Duration stateTtl,
    int invokerCapacity,
    int maxPayloadBytes,
    Duration maxDeadline,
    int maxPolicyBytes,
    OnnxPolicy.Mode policyMode,
    InferenceCallFactory calls,
    boolean overloadTripsBreaker) {

  /** The fallback heuristic when the initial policy is an ONNX file. */
  public static final String DEFAULT_FALLBACK = "greedy-slo";

  public SchedulerSettings {
    // checked here, so that a misspelt variant fails the submission, not every task start
    FixedVariantPolicy.check(initialPolicy, catalog);
  }

  /** The job's settings from its configuration (the catalog and profile are read from files). */
  public static SchedulerSettings from(Configuration config) {
    Catalog catalog =
        Catalog.load(
            Path.of(
                required(config, SurgeOptions.CATALOG.key(), config.get(SurgeOptions.CATALOG))));
    LatencyProfile profile =
        LatencyProfile.load(
            Path.of(
                required(config, SurgeOptions.PROFILE.key(), config.get(SurgeOptions.PROFILE))));
    return of(catalog, profile, config);
  }

  /** Every option at its {@link SurgeOptions} default, for a catalog and profile at hand. */
  public static SchedulerSettings defaults(Catalog catalog, LatencyProfile profile) {
    return of(catalog, profile, new Configuration());
  }

  /**
   * The options set in {@code config}, the {@link SurgeOptions} defaults for the rest, and KServe
   * v2 HTTP calls to the catalog's servers.
   */
  public static SchedulerSettings of(
      Catalog catalog, LatencyProfile profile, Configuration config) {
    return new SchedulerSettings(
        catalog,
        profile,
        config.get(SurgeOptions.INITIAL_POLICY),
        config.get(SurgeOptions.HISTORY_LENGTH),
        new Rewards(
            config.get(SurgeOptions.REWARD_SHED),
            config.get(SurgeOptions.REWARD_LATE),
            config.get(SurgeOptions.REWARD_FAILED)),
        config.get(SurgeOptions.STATE_TTL),
        config.get(SurgeOptions.INVOKER_CAPACITY),
        config.get(SurgeOptions.MAX_PAYLOAD_BYTES),
        config.get(SurgeOptions.MAX_DEADLINE),
        config.get(SurgeOptions.MAX_POLICY_BYTES),
        config.get(SurgeOptions.POLICY_MODE),
        MicroBatchingCall.factory(
            KServeInferenceCall.factory(catalog, Duration.ofSeconds(1), false),
            new MicroBatchSettings(
                config.get(SurgeOptions.MICRO_BATCH_MAX_ROWS),
                config.get(SurgeOptions.MICRO_BATCH_WINDOW))),
        config.get(SurgeOptions.OVERLOAD_TRIPS_BREAKER));
  }

  /** The heuristic deciding until a learned policy is loaded. */
  public String fallbackPolicy() {
    return isPolicyModel() ? DEFAULT_FALLBACK : initialPolicy;
  }

  /** Whether the initial policy is a policy model (a file or a shipped one) to publish at start. */
  public boolean isPolicyModel() {
    return initialPolicy.endsWith(".onnx") || ShippedPolicies.isShipped(initialPolicy);
  }

  public SchedulerSettings withCalls(InferenceCallFactory factory) {
    return new SchedulerSettings(
        catalog,
        profile,
        initialPolicy,
        historyLength,
        rewards,
        stateTtl,
        invokerCapacity,
        maxPayloadBytes,
        maxDeadline,
        maxPolicyBytes,
        policyMode,
        factory,
        overloadTripsBreaker);
  }

  public SchedulerSettings withInitialPolicy(String policy) {
    return new SchedulerSettings(
        catalog,
        profile,
        policy,
        historyLength,
        rewards,
        stateTtl,
        invokerCapacity,
        maxPayloadBytes,
        maxDeadline,
        maxPolicyBytes,
        policyMode,
        calls,
        overloadTripsBreaker);
  }

  private static String required(Configuration config, String key, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("missing required option " + key);
    }
    return value;
  }
}
