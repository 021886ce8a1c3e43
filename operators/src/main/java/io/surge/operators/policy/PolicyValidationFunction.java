package io.surge.operators.policy;

import io.surge.operators.kafka.RawRecord;
import io.surge.operators.validate.DeadLetters;
import io.surge.policy.onnx.OnnxPolicy;
import io.surge.policy.onnx.PolicyFile;
import io.surge.policy.onnx.PolicyRejectedException;
import io.surge.schema.PolicyUpdate;
import io.surge.schema.wire.AvroWire;
import io.surge.state.EstimatorSettings;
import io.surge.state.ObservationSpec;
import io.surge.state.ServiceTopology;
import io.surge.state.catalog.Catalog;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every policy update once, before the broadcast (DESIGN.md section 8): bad bytes, checksum,
 * wrong inputs/outputs, spec-hash or action mismatch, NaN outputs, too large, external data, or a
 * version not newer than the last accepted one for the same target are rejected with a log line, a
 * metric and a dead letter; the current policy stays. Keyed by a constant so one instance sees
 * every update and remembers the newest accepted version per target.
 */
public final class PolicyValidationFunction
    extends KeyedProcessFunction<String, RawRecord, PolicyUpdate> {

  private static final Logger LOG = LoggerFactory.getLogger(PolicyValidationFunction.class);

  /** Key of the one instance (use with {@code keyBy(r -> PolicyValidationFunction.KEY)}). */
  public static final String KEY = "policies";

  static final MapStateDescriptor<String, Long> NEWEST =
      new MapStateDescriptor<>("surge.policies.newest-version", Types.STRING, Types.LONG);

  private final Catalog catalog;
  private final int historyLength;
  private final long maxBytes;
  private transient AvroWire<PolicyUpdate> wire;
  private transient MapState<String, Long> newest;
  private transient Counter accepted;
  private transient Counter rejected;

  public PolicyValidationFunction(Catalog catalog, int historyLength, long maxBytes) {
    this.catalog = catalog;
    this.historyLength = historyLength;
    this.maxBytes = maxBytes;
  }

  @Override
  public void open(OpenContext openContext) {
    wire = AvroWire.of(PolicyUpdate.class);
    newest = getRuntimeContext().getMapState(NEWEST);
    accepted = getRuntimeContext().getMetricGroup().counter("policiesAccepted");
    rejected = getRuntimeContext().getMetricGroup().counter("policiesRejected");
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<PolicyUpdate> out)
      throws Exception {
    String reason;
    PolicyUpdate update = null;
    try {
      update = wire.deserialize(raw.value, raw.schemaHeader);
      reason = problemWith(update);
    } catch (AvroWire.InvalidRecordException e) {
      reason = e.getMessage();
    }
    if (reason == null) {
      newest.put(target(update), update.getVersion());
      accepted.inc();
      LOG.info(
          "policy version {} ({}) accepted for {}",
          update.getVersion(),
          update.getName(),
          target(update));
      out.collect(update);
      return;
    }
    rejected.inc();
    LOG.warn("policy update at {} rejected: {}", raw, reason);
    ctx.output(
        DeadLetters.TAG,
        DeadLetters.of(
            raw, "policy rejected: " + reason, ctx.timerService().currentProcessingTime()));
  }

  /** Why an update must not be applied, or null. */
  private String problemWith(PolicyUpdate update) throws Exception {
    if (update.getVersion() <= 0) {
      return "version must be positive, got " + update.getVersion();
    }
    Long current = newest.get(target(update));
    if (current != null && update.getVersion() <= current) {
      return "version " + update.getVersion() + " is not newer than the current " + current;
    }
    byte[] model = AvroWire.toBytes(update.getModel());
    try {
      PolicyFile.of(model, maxBytes, update.getSha256());
    } catch (PolicyRejectedException e) {
      return e.getMessage();
    }
    List<Catalog.Service> services =
        update.getService() == null
            ? catalog.services()
            : catalog.service(update.getService()) == null
                ? List.of()
                : List.of(catalog.service(update.getService()));
    if (services.isEmpty()) {
      return "unknown service '" + update.getService() + "'";
    }
    for (Catalog.Service service : services) {
      String problem = loadProblem(model, update.getVersion(), service);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  /**
   * Loads the model as the scheduler would (checks, canary) and closes it again. The update's
   * version must be the model's own: the broadcast orders updates by the one, while every decision
   * records the other.
   */
  private String loadProblem(byte[] model, long version, Catalog.Service service) {
    ServiceTopology topology = ServiceTopology.of(catalog, service.name());
    ObservationSpec spec =
        ObservationSpec.of(topology, EstimatorSettings.defaults().withHistoryLength(historyLength));
    try (OnnxPolicy policy =
        OnnxPolicy.load(
            model,
            spec,
            topology.actionNames(),
            OnnxPolicy.Options.defaults().withMaxBytes(maxBytes))) {
      return policy.version() == version
          ? null
          : "update version " + version + " but the model's surge.version is " + policy.version();
    } catch (PolicyRejectedException e) {
      return e.getMessage() + " (service " + service.name() + ")";
    }
  }

  private static String target(PolicyUpdate update) {
    return update.getService() == null ? "*" : update.getService();
  }
}
