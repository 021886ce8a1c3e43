package io.surge.operators.scheduler;

import io.surge.schema.Completion;
import io.surge.schema.Dispatch;
import io.surge.schema.InferenceRequest;
import io.surge.schema.InferenceResult;
import io.surge.schema.PendingDecision;
import io.surge.schema.ResultStatus;
import io.surge.schema.Transition;
import io.surge.state.ServiceTopology;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds the records the scheduler emits and keeps. */
final class SchedulerRecords {

  private SchedulerRecords() {}

  static Dispatch dispatch(
      InferenceRequest request,
      ServiceTopology topology,
      int variant,
      int server,
      long version,
      long now) {
    return Dispatch.newBuilder()
        .setRequest(request)
        .setVariant(topology.variantName(variant))
        .setModel(topology.variantModel(variant))
        .setServer(topology.serverName(server))
        .setAccuracy(topology.accuracy(variant))
        .setPolicyVersion(version)
        .setDecidedAt(Instant.ofEpochMilli(now))
        .build();
  }

  static PendingDecision pending(
      int variant,
      int server,
      long version,
      int action,
      double probability,
      long now,
      long deadlineAt,
      float[] observation,
      float[] mask) {
    return PendingDecision.newBuilder()
        .setVariantIndex(variant)
        .setServerIndex(server)
        .setPolicyVersion(version)
        .setAction(action)
        .setProbability(probability)
        .setDecidedAt(Instant.ofEpochMilli(now))
        .setDeadlineAt(Instant.ofEpochMilli(deadlineAt))
        .setObservation(floats(observation))
        .setMask(floats(mask))
        .build();
  }

  static InferenceResult shed(InferenceRequest request, long version, double reward, long now) {
    Instant decided = Instant.ofEpochMilli(now);
    return InferenceResult.newBuilder()
        .setRequestId(request.getRequestId())
        .setService(request.getService())
        .setPolicyVersion(version)
        .setStatus(ResultStatus.SHED.name())
        .setCreatedAt(request.getCreatedAt())
        .setDecidedAt(decided)
        .setCompletedAt(decided)
        .setLatencyMs(Math.max(0, now - request.getCreatedAt().toEpochMilli()))
        .setAccuracy(0)
        .setReward(reward)
        .setError("shed by the scheduler")
        .build();
  }

  static Transition transition(
      String requestId,
      String service,
      String specHash,
      PendingDecision decision,
      double reward,
      long completedAt) {
    return Transition.newBuilder()
        .setRequestId(requestId)
        .setService(service)
        .setPolicyVersion(decision.getPolicyVersion())
        .setSpecHash(specHash)
        .setObservation(decision.getObservation())
        .setMask(decision.getMask())
        .setAction(decision.getAction())
        .setProbability(decision.getProbability())
        .setReward(reward)
        .setDecidedAt(decision.getDecidedAt())
        .setCompletedAt(Instant.ofEpochMilli(completedAt))
        .build();
  }

  /** The completion of a served request, for the scheduler's feedback loop. */
  static Completion completion(InferenceResult result) {
    return Completion.newBuilder()
        .setRequestId(result.getRequestId())
        .setService(result.getService())
        .setVariant(result.getVariant())
        .setServer(result.getServer())
        .setStatus(result.getStatus())
        .setLatencyMs(result.getLatencyMs())
        .setCompletedAt(result.getCompletedAt())
        .setReward(result.getReward())
        .build();
  }

  static List<Float> floats(float[] values) {
    List<Float> out = new ArrayList<>(values.length);
    for (float v : values) {
      out.add(v);
    }
    return out;
  }
}
