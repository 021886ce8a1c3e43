package io.surge.operators.scheduler;

import io.surge.operators.policy.PolicyUpdateCheck;
import io.surge.policy.DecisionStep;
import io.surge.policy.FallbackOnErrorPolicy;
import io.surge.policy.SchedulingPolicy;
import io.surge.policy.baseline.Policies;
import io.surge.policy.onnx.OnnxPolicy;
import io.surge.policy.onnx.OnnxPolicyServable;
import io.surge.policy.onnx.PolicyRejectedException;
import io.surge.schema.PolicyUpdate;
import io.surge.state.EstimatorSettings;
import io.surge.state.LatencyTable;
import io.surge.state.ObservationBuilder;
import io.surge.state.ServerHealthView;
import io.surge.state.ServiceTopology;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one subtask needs to decide for one service, built once from the catalog and the profile:
 * the observation builder and decision step (with their reused buffers), the fallback heuristic,
 * the server-health view, and the learned policy currently loaded.
 *
 * <p>The learned policy is one {@link OnnxPolicyServable} per service for the subtask's life: a new
 * version is swapped in through its {@code setModelData}, which keeps the current model when it
 * refuses the new one.
 */
final class ServiceRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceRuntime.class);

  /** How long a subtask waits before fetching a referenced model again after a failed fetch. */
  static final Duration FETCH_RETRY = Duration.ofSeconds(5);

  /** Refusals that mean the policy was trained for another topology of the service. */
  private static final Set<PolicyRejectedException.Reason> TOPOLOGY_MISMATCH =
      EnumSet.of(
          PolicyRejectedException.Reason.SPEC_MISMATCH,
          PolicyRejectedException.Reason.ACTION_MISMATCH,
          PolicyRejectedException.Reason.WRONG_SIGNATURE);

  final ServiceTopology topology;
  final ObservationBuilder builder;
  final DecisionStep step;
  final ServerHealthView health;
  private final SchedulingPolicy fallback;
  private final long maxPolicyBytes;
  private final OnnxPolicyServable servable;
  private final Counter policiesUnfit;
  private FallbackOnErrorPolicy learned;

  /** Version of the policy update last tried, loaded or not, so a bad one is not retried. */
  private long triedVersion;

  /** When a model that could not be fetched (a network or file problem) is tried again. */
  private long retryFetchAtNanos;

  ServiceRuntime(
      Catalog catalog,
      LatencyProfile profile,
      String service,
      EstimatorSettings settings,
      String fallbackPolicy,
      double shedReward,
      long maxPolicyBytes,
      OnnxPolicy.Mode policyMode,
      Counter policiesUnfit) {
    this.topology = ServiceTopology.of(catalog, service);
    LatencyTable latency = LatencyTable.from(profile, topology);
    this.builder = ObservationBuilder.create(topology, latency, settings);
    this.step = new DecisionStep(builder, shedReward);
    this.fallback = Policies.byName(fallbackPolicy, topology, latency);
    this.health =
        new ServerHealthView(
            topology.serverCount(),
            ServerHealthView.DEFAULT_FAILURES_TO_TRIP,
            ServerHealthView.DEFAULT_COOL_DOWN_MILLIS);
    this.maxPolicyBytes = maxPolicyBytes;
    this.servable =
        new OnnxPolicyServable(builder.spec(), topology.actionNames())
            .set(OnnxPolicyServable.MAX_BYTES, maxPolicyBytes)
            .set(OnnxPolicyServable.MODE, policyMode.name());
    this.policiesUnfit = policiesUnfit;
  }

  /**
   * The policy to decide with: the newest published policy when one is loaded, else the fallback. A
   * newer update is loaded here (lazily, so it also happens after a restore); one that fails to
   * load keeps the current policy, as the validator should have caught it. A model behind a
   * reference that cannot be fetched now is tried again after {@link #FETCH_RETRY}.
   */
  SchedulingPolicy policy(PolicyUpdate newest) {
    if (newest != null
        && newest.getVersion() != triedVersion
        && System.nanoTime() - retryFetchAtNanos >= 0) {
      load(newest);
    }
    return learned != null ? learned : fallback;
  }

  /** The fallback's name, or the loaded policy's version. */
  private String current() {
    return learned == null ? fallback.name() : "version " + learned.version();
  }

  private void load(PolicyUpdate update) {
    try {
      byte[] model = PolicyUpdateCheck.modelBytes(update, maxPolicyBytes);
      triedVersion = update.getVersion();
      servable
          .set(OnnxPolicyServable.EXPECTED_SHA256, update.getSha256())
          .setModelData(new ByteArrayInputStream(model));
      if (learned == null) {
        // an ONNX Runtime error on one request falls back to the heuristic for that request
        learned = new FallbackOnErrorPolicy(servable, fallback);
      }
      LOG.info(
          "service {}: now deciding with policy version {}",
          topology.service(),
          servable.version());
    } catch (OnnxPolicyServable.RejectedModelException e) {
      rejected(update, e.rejection());
    } catch (PolicyRejectedException e) {
      rejected(update, e);
    } catch (IOException e) {
      // reading a byte array cannot fail; kept apart from a refusal all the same
      triedVersion = update.getVersion();
      LOG.warn(
          "service {}: policy version {} not read ({})",
          topology.service(),
          update.getVersion(),
          e.toString());
    }
  }

  private void rejected(PolicyUpdate update, PolicyRejectedException e) {
    if (e.reason() == PolicyRejectedException.Reason.FETCH_FAILED) {
      retryFetchAtNanos = System.nanoTime() + FETCH_RETRY.toNanos();
      LOG.warn(
          "service {}: policy version {} not loaded yet ({}), keeping {}, trying again in {} s",
          topology.service(),
          update.getVersion(),
          e.getMessage(),
          current(),
          FETCH_RETRY.toSeconds());
      return;
    }
    triedVersion = update.getVersion();
    if (TOPOLOGY_MISMATCH.contains(e.reason())) {
      // the validator checked it against this catalog, so the catalog changed since (a restore
      // with an edited catalog): the observation and actions the policy was trained on are gone
      policiesUnfit.inc();
      LOG.warn(
          "service {}: policy version {} does not fit the service's topology in this job's"
              + " catalog ({}): the catalog changed (a variant added or removed) since it was trained;"
              + " deciding with {} until a policy trained for this topology is published",
          topology.service(),
          update.getVersion(),
          e.getMessage(),
          current());
      return;
    }
    LOG.warn(
        "service {}: policy version {} rejected ({}), keeping {}",
        topology.service(),
        update.getVersion(),
        e.getMessage(),
        current());
  }

  @Override
  public void close() {
    servable.close();
    fallback.close();
  }
}
