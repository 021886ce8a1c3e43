package io.surge.operators.scheduler;

import io.surge.policy.DecisionStep;
import io.surge.policy.FallbackOnErrorPolicy;
import io.surge.policy.SchedulingPolicy;
import io.surge.policy.baseline.Policies;
import io.surge.policy.onnx.OnnxPolicy;
import io.surge.policy.onnx.PolicyRejectedException;
import io.surge.schema.PolicyUpdate;
import io.surge.schema.wire.AvroWire;
import io.surge.state.EstimatorSettings;
import io.surge.state.LatencyTable;
import io.surge.state.ObservationBuilder;
import io.surge.state.ServerHealthView;
import io.surge.state.ServiceTopology;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one subtask needs to decide for one service, built once from the catalog and the profile:
 * the observation builder and decision step (with their reused buffers), the fallback heuristic,
 * the server-health view, and the learned policy currently loaded.
 */
final class ServiceRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceRuntime.class);

  final ServiceTopology topology;
  final ObservationBuilder builder;
  final DecisionStep step;
  final ServerHealthView health;
  private final SchedulingPolicy fallback;
  private final long maxPolicyBytes;
  private FallbackOnErrorPolicy learned;

  /** Version of the policy update last tried, loaded or not, so a bad one is not retried. */
  private long triedVersion;

  ServiceRuntime(
      Catalog catalog,
      LatencyProfile profile,
      String service,
      EstimatorSettings settings,
      String fallbackPolicy,
      double shedReward,
      long maxPolicyBytes) {
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
  }

  /**
   * The policy to decide with: the newest published policy when one is loaded, else the fallback. A
   * newer update is loaded here (lazily, so it also happens after a restore); one that fails to
   * load keeps the current policy, as the validator should have caught it.
   */
  SchedulingPolicy policy(PolicyUpdate newest) {
    if (newest != null && newest.getVersion() != triedVersion) {
      triedVersion = newest.getVersion();
      load(newest);
    }
    return learned != null ? learned : fallback;
  }

  private void load(PolicyUpdate update) {
    try {
      OnnxPolicy next =
          OnnxPolicy.load(
              AvroWire.toBytes(update.getModel()),
              builder.spec(),
              topology.actionNames(),
              OnnxPolicy.Options.defaults()
                  .withExpectedSha256(update.getSha256())
                  .withMaxBytes(maxPolicyBytes));
      if (learned != null) {
        learned.close();
      }
      // an ONNX Runtime error on one request falls back to the heuristic for that request
      learned = new FallbackOnErrorPolicy(next, fallback);
      LOG.info(
          "service {}: now deciding with policy version {}", topology.service(), next.version());
    } catch (PolicyRejectedException e) {
      LOG.warn(
          "service {}: policy version {} rejected ({}), keeping {}",
          topology.service(),
          update.getVersion(),
          e.getMessage(),
          learned == null ? fallback.name() : "version " + learned.version());
    }
  }

  @Override
  public void close() {
    if (learned != null) {
      learned.close();
    }
    fallback.close();
  }
}
