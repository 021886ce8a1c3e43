package io.surge.serving.client;

import io.surge.serving.protocol.InferRequest;
import io.surge.serving.protocol.ServerMetadata;

/** The schedule_policy parameters a client adds to an infer request, for both protocols. */
final class ScheduleParameters {

  private ScheduleParameters() {}

  /**
   * The request with {@code timeout} (the time left, in microseconds) and a non-zero {@code
   * priority}, when the server lists schedule_policy and the request does not set them itself.
   */
  static InferRequest add(
      InferRequest request, ServerMetadata server, long leftNanos, long priority) {
    if (!server.supports(ServerMetadata.SCHEDULE_POLICY)) {
      return request;
    }
    InferRequest wire = request;
    if (!wire.parameters().containsKey(InferRequest.TIMEOUT)) {
      wire = wire.withParameter(InferRequest.TIMEOUT, Math.max(1, leftNanos / 1000));
    }
    if (priority > 0 && !wire.parameters().containsKey(InferRequest.PRIORITY)) {
      wire = wire.withParameter(InferRequest.PRIORITY, priority);
    }
    return wire;
  }
}
