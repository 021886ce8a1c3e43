package io.surge.operators.invoke;

import java.io.Serializable;
import java.time.Duration;

/**
 * Settings of the {@link InferenceInvoker}.
 *
 * @param minCallTimeout the floor of a call's timeout, used when little or no slack is left
 * @param latePenalty the reward of a LATE result (0, or negative to punish lateness)
 * @param failedPenalty the reward of a FAILED result
 * @param timeoutsTripBreaker whether overload counts as a server fault: when true, calls that time
 *     out and 503 queue timeouts trip the breaker (a slow server is a faulty one, DESIGN.md section
 *     8); when false, they end LATE without tripping it, and only real faults (unreachable, other
 *     5xx, invalid answers) open the breaker, so overload is left to the scheduling policy
 * @param healthPollInterval how often breakers are advanced by a background timer, so that an open
 *     server that receives no calls is still probed; zero turns the timer off
 * @param breaker when the per-server breakers open and recover
 */
public record InvokerSettings(
    Duration minCallTimeout,
    double latePenalty,
    double failedPenalty,
    boolean timeoutsTripBreaker,
    Duration healthPollInterval,
    BreakerSettings breaker)
    implements Serializable {

  public InvokerSettings {
    if (minCallTimeout == null || minCallTimeout.isNegative() || minCallTimeout.isZero()) {
      throw new IllegalArgumentException("invoker settings: minCallTimeout must be positive");
    }
    if (healthPollInterval == null || healthPollInterval.isNegative()) {
      throw new IllegalArgumentException(
          "invoker settings: healthPollInterval must be zero or positive");
    }
    if (Double.isNaN(latePenalty) || Double.isNaN(failedPenalty)) {
      throw new IllegalArgumentException("invoker settings: penalties must be numbers");
    }
    if (breaker == null) {
      throw new IllegalArgumentException("invoker settings: breaker settings are required");
    }
  }

  /** 5 ms timeout floor, no penalties, timeouts count, breakers polled every 200 ms. */
  public static InvokerSettings defaults() {
    return new InvokerSettings(
        Duration.ofMillis(5), 0.0, 0.0, true, Duration.ofMillis(200), BreakerSettings.defaults());
  }

  public InvokerSettings withPenalties(double late, double failed) {
    return new InvokerSettings(
        minCallTimeout, late, failed, timeoutsTripBreaker, healthPollInterval, breaker);
  }

  public InvokerSettings withTimeoutsTripBreaker(boolean trip) {
    return new InvokerSettings(
        minCallTimeout, latePenalty, failedPenalty, trip, healthPollInterval, breaker);
  }

  public InvokerSettings withHealthPollInterval(Duration interval) {
    return new InvokerSettings(
        minCallTimeout, latePenalty, failedPenalty, timeoutsTripBreaker, interval, breaker);
  }

  public InvokerSettings withBreaker(BreakerSettings settings) {
    return new InvokerSettings(
        minCallTimeout,
        latePenalty,
        failedPenalty,
        timeoutsTripBreaker,
        healthPollInterval,
        settings);
  }
}
