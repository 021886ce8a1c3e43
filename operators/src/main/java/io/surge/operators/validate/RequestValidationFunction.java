package io.surge.operators.validate;

import io.surge.operators.kafka.RawRecord;
import io.surge.schema.InferenceRequest;
import io.surge.schema.Tensor;
import io.surge.schema.wire.AvroWire;
import io.surge.schema.wire.AvroWire.InvalidRecordException;
import io.surge.state.catalog.Catalog;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes and checks raw {@code requests} records. A valid request goes on; anything else becomes
 * exactly one dead letter with the source topic, partition, offset and the reason.
 */
public final class RequestValidationFunction extends ProcessFunction<RawRecord, InferenceRequest> {

  private final Catalog catalog;
  private final int maxPayloadBytes;
  private transient AvroWire<InferenceRequest> wire;
  private transient Counter rejected;

  public RequestValidationFunction(Catalog catalog, int maxPayloadBytes) {
    this.catalog = catalog;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  @Override
  public void open(OpenContext openContext) {
    wire = AvroWire.of(InferenceRequest.class);
    rejected = getRuntimeContext().getMetricGroup().counter("requestsRejected");
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<InferenceRequest> out) {
    String reason;
    InferenceRequest request = null;
    try {
      request = wire.deserialize(raw.value, raw.schemaHeader);
      reason = problemWith(request);
    } catch (InvalidRecordException e) {
      reason = e.getMessage();
    }
    if (reason == null) {
      out.collect(request);
      return;
    }
    rejected.inc();
    ctx.output(
        DeadLetters.TAG, DeadLetters.of(raw, reason, ctx.timerService().currentProcessingTime()));
  }

  /** Why a decoded request cannot be scheduled, or null when it can. */
  String problemWith(InferenceRequest r) {
    if (r.getRequestId().isBlank()) {
      return "empty request_id";
    }
    Catalog.Service service = catalog.service(r.getService());
    if (service == null) {
      return "unknown service '" + r.getService() + "'";
    }
    if (r.getDeadlineMs() == null) {
      return "missing deadline_ms";
    }
    if (r.getDeadlineMs() <= 0) {
      return "deadline_ms must be positive, got " + r.getDeadlineMs();
    }
    if (r.getCreatedAt().toEpochMilli() <= 0) {
      return "created_at must be a positive epoch time";
    }
    if (r.getMinAccuracy() != null && !(r.getMinAccuracy() >= 0 && r.getMinAccuracy() <= 100)) {
      return "min_accuracy must be within [0, 100], got " + r.getMinAccuracy();
    }
    if (r.getPriority() != null && r.getPriority() < 0) {
      return "priority must not be negative, got " + r.getPriority();
    }
    return r.getPayload() == null ? null : payloadProblem(r.getPayload(), service);
  }

  private String payloadProblem(Tensor payload, Catalog.Service service) {
    int bytes = payload.getData().remaining();
    if (bytes > maxPayloadBytes) {
      return "payload of " + bytes + " bytes exceeds the limit of " + maxPayloadBytes;
    }
    Catalog.TensorSpec spec = service.variants().get(0).input();
    if (spec == null) {
      return null;
    }
    if (!spec.datatype().equals(payload.getDatatype())) {
      return "payload datatype " + payload.getDatatype() + ", expected " + spec.datatype();
    }
    long elements = 1;
    for (long d : payload.getShape()) {
      if (d < 0) {
        return "negative dimension in payload shape " + payload.getShape();
      }
      elements = d == 0 ? 0 : (elements > Long.MAX_VALUE / d ? -1 : elements * d);
      if (elements < 0) {
        return "payload shape " + payload.getShape() + " overflows";
      }
    }
    if (elements != spec.elementCount() || !shapeMatches(payload.getShape(), spec.shape())) {
      return "payload shape "
          + payload.getShape()
          + ", expected "
          + spec.shape()
          + " (one request)";
    }
    long expectedBytes = elements * bytesPerElement(spec.datatype());
    if (expectedBytes > 0 && bytes != expectedBytes) {
      return "payload has " + bytes + " bytes, its shape needs " + expectedBytes;
    }
    return null;
  }

  /** The payload's shape is the spec's, optionally with a leading batch dimension of 1. */
  private static boolean shapeMatches(List<Long> shape, List<Long> spec) {
    if (shape.equals(spec)) {
      return true;
    }
    return shape.size() == spec.size() + 1
        && shape.get(0) == 1
        && shape.subList(1, shape.size()).equals(spec);
  }

  private static int bytesPerElement(String datatype) {
    return switch (datatype) {
      case "BOOL", "UINT8", "INT8" -> 1;
      case "UINT16", "INT16", "FP16" -> 2;
      case "UINT32", "INT32", "FP32" -> 4;
      case "UINT64", "INT64", "FP64" -> 8;
      default -> -1;
    };
  }
}
