package io.surge.operators.invoke;

import io.surge.schema.Dispatch;
import io.surge.schema.InferenceRequest;
import io.surge.schema.InferenceResult;
import io.surge.schema.ResultStatus;
import java.time.Duration;
import java.time.Instant;

/** Builds the one {@link InferenceResult} of a dispatch from its {@link Outcome}. */
final class InferenceResults {

  private InferenceResults() {}

  static InferenceResult of(
      Dispatch dispatch, Outcome outcome, Instant completedAt, InvokerSettings settings) {
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
        .setReward(reward(outcome.status(), dispatch.getAccuracy(), settings))
        .setOutputs(outcome.outputs())
        .setError(outcome.error())
        .build();
  }

  /** Milliseconds from {@code from} to {@code to}, fractional. */
  private static double millisBetween(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }

  private static double reward(ResultStatus status, double accuracy, InvokerSettings settings) {
    return switch (status) {
      case OK -> accuracy;
      case LATE -> settings.latePenalty();
      case FAILED -> settings.failedPenalty();
      case SHED -> 0.0;
    };
  }
}
