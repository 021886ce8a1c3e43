package io.surge.operators.policy;

import io.surge.operators.kafka.RawRecord;
import io.surge.operators.validate.DeadLetters;
import io.surge.schema.PolicyUpdate;
import io.surge.schema.wire.AvroWire;
import io.surge.state.catalog.Catalog;
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
 * wrong inputs/outputs, spec-hash or action mismatch, NaN outputs, too large, external data, a
 * model reference that cannot be fetched, or a version not newer than the last accepted one for the
 * same target are rejected with a log line, a metric and a dead letter; the current policy stays.
 * The checks themselves are {@link PolicyUpdateCheck}'s, which {@code surge publish} runs too.
 * Keyed by a constant so one instance sees every update and remembers the newest accepted version
 * per target.
 */
public final class PolicyValidationFunction
    extends KeyedProcessFunction<String, RawRecord, PolicyUpdate> {

  private static final Logger LOG = LoggerFactory.getLogger(PolicyValidationFunction.class);

  /** Key of the one instance (use with {@code keyBy(r -> PolicyValidationFunction.KEY)}). */
  public static final String KEY = "policies";

  static final MapStateDescriptor<String, Long> NEWEST =
      new MapStateDescriptor<>("surge.policies.newest-version", Types.STRING, Types.LONG);

  private final PolicyUpdateCheck check;
  private transient AvroWire<PolicyUpdate> wire;
  private transient MapState<String, Long> newest;
  private transient Counter accepted;
  private transient Counter rejected;

  public PolicyValidationFunction(Catalog catalog, int historyLength, long maxBytes) {
    this.check = new PolicyUpdateCheck(catalog, historyLength, maxBytes);
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
    return check.problemWith(update, newest.get(target(update)));
  }

  private static String target(PolicyUpdate update) {
    return PolicyUpdateCheck.target(update);
  }
}
