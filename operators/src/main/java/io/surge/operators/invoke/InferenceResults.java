package io.surge.operators.invoke;

import io.surge.schema.Dispatch;
import io.surge.schema.InferenceRequest;
import io.surge.schema.InferenceResult;
import java.time.Duration;
import java.time.Instant;

/** Builds the one {@link InferenceResult} of a dispatch from its {@link CallOutcome}. */
final class InferenceResults {

  private InferenceResults() {}

  static InferenceResult of(
      Dispatch dispatch, CallOutcome outcome, Instant completedAt, InvokerSettings settings) {
    InferenceRequest request = dispatch.getRequest();
    return InferenceResult.newBuilder()
        .setRequestId(request.getRequestId())
        .setService(request.getService())
        .setVariant(dispatch.getVariant())
        .setServer(dispatch.getServer())
        .setPolicyVersion(dispatch.getPolicyVersion())
        .setStatus(outcome.status().name())
        .setCreatedAt(request.getCreatedAt())
        .setDecidedAt(dispatch.getDecidedAt())
        .setCompletedAt(completedAt)
        .setLatencyMs(millisBetween(request.getCreatedAt(), completedAt))
        .setQueueMs(outcome.queueMs())
        .setAccuracy(dispatch.getAccuracy())
        .setReward(settings.rewards().of(outcome.status(), dispatch.getAccuracy()))
        .setOutputs(outcome.outputs())
        .setError(outcome.error())
        .build();
  }

  /** Milliseconds from {@code from} to {@code to}, fractional. */
  private static double millisBetween(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }
}
