package io.surge.state;

import io.surge.schema.InferenceRequest;
import java.time.Duration;
import java.time.Instant;

/**
 * A request's deadline, {@code created_at + deadline_ms}: the one definition the scheduler (slack
 * for the decision, expiry of the pending decision) and the invoker (call timeout, OK or LATE) both
 * read, so they can never disagree about when a request is late.
 */
public final class RequestDeadline {

  private RequestDeadline() {}

  /** The deadline in epoch milliseconds. */
  public static long epochMillis(InferenceRequest request) {
    return request.getCreatedAt().toEpochMilli() + request.getDeadlineMs();
  }

  /**
   * Fractional milliseconds from the deadline to {@code now}: negative while slack is left,
   * positive once it has passed.
   */
  public static double millisPast(InferenceRequest request, Instant now) {
    Instant deadline = request.getCreatedAt().plusMillis(request.getDeadlineMs());
    return Duration.between(deadline, now).toNanos() / 1e6;
  }
}
