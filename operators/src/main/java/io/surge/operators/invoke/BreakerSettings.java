package io.surge.operators.invoke;

import java.io.Serializable;
import java.time.Duration;

/**
 * When a server's circuit breaker opens and how it recovers.
 *
 * @param consecutiveFailures open after this many failures in a row
 * @param window the number of most recent calls the failure rate is computed over
 * @param minCallsInWindow the failure rate counts only once the window holds this many calls
 * @param failureRate open when the failed fraction of the window reaches this (0 < rate <= 1)
 * @param coolDown how long an open breaker waits before it probes the server (half-open)
 * @param probeTimeout a probe without an answer after this long counts as failed
 */
public record BreakerSettings(
    int consecutiveFailures,
    int window,
    int minCallsInWindow,
    double failureRate,
    Duration coolDown,
    Duration probeTimeout)
    implements Serializable {

  public BreakerSettings {
    require(consecutiveFailures >= 1, "consecutiveFailures must be at least 1");
    require(window >= 1, "window must be at least 1");
    require(
        minCallsInWindow >= 1 && minCallsInWindow <= window,
        "minCallsInWindow must be between 1 and window");
    require(failureRate > 0 && failureRate <= 1, "failureRate must be in (0, 1]");
    require(isPositive(coolDown), "coolDown must be positive");
    require(isPositive(probeTimeout), "probeTimeout must be positive");
  }

  /** 5 failures in a row, or half of the last 20 calls (at least 10), 2 s cool-down. */
  public static BreakerSettings defaults() {
    return new BreakerSettings(5, 20, 10, 0.5, Duration.ofSeconds(2), Duration.ofSeconds(1));
  }

  private static boolean isPositive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("breaker settings: " + message);
    }
  }
}
