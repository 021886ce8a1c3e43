package io.surge.operators.invoke;

import io.surge.state.Rewards;
import java.io.Serializable;
import java.time.Duration;

/**
 * Settings of the {@link InferenceInvoker}.
 *
 * @param minCallTimeout the floor of a call's timeout, used when little or no slack is left
 * @param rewards the reward of each result status (LATE and FAILED results use it)
 * @param timeoutsTripBreaker whether overload counts as a server fault: when true, calls that time
 *     out and 503 queue timeouts trip the breaker (a slow server is a faulty one, DESIGN.md section
 *     8); when false, they end LATE without tripping it, and only real faults (unreachable, other
 *     5xx, invalid answers) open the breaker, so overload is left to the scheduling policy
 * @param healthPollInterval how often breakers are advanced by a background timer, so that an open
 *     server that receives no calls is still probed; zero turns the timer off
 * @param breaker when the per-server breakers open and recover
 * @param recentAnswerWindow a connect timeout to a server that answered within this window is
 *     overload (LATE, breaker untouched), not an outage, unless overload counts as a fault
 */
public record InvokerSettings(
    Duration minCallTimeout,
    Rewards rewards,
    boolean timeoutsTripBreaker,
    Duration healthPollInterval,
    BreakerSettings breaker,
    Duration recentAnswerWindow)
    implements Serializable {

  public InvokerSettings {
    if (minCallTimeout == null || minCallTimeout.isNegative() || minCallTimeout.isZero()) {
      throw new IllegalArgumentException("invoker settings: minCallTimeout must be positive");
    }
    if (healthPollInterval == null || healthPollInterval.isNegative()) {
      throw new IllegalArgumentException(
          "invoker settings: healthPollInterval must be zero or positive");
    }
    if (rewards == null) {
      throw new IllegalArgumentException("invoker settings: rewards are required");
    }
    if (breaker == null) {
      throw new IllegalArgumentException("invoker settings: breaker settings are required");
    }
    if (recentAnswerWindow == null || recentAnswerWindow.isNegative()) {
      throw new IllegalArgumentException(
          "invoker settings: recentAnswerWindow must be zero or positive");
    }
  }

  /**
   * The same settings with the default {@link #recentAnswerWindow()}: 10 s. A healthy server under
   * load answers many calls a second, a dead one none; but after a restore a saturated server can
   * stay silent for seconds (it still computes the old job's abandoned calls while every new call
   * times out at its deadline), and 2 s took such servers for dead (issue 12).
   */
  public InvokerSettings(
      Duration minCallTimeout,
      Rewards rewards,
      boolean timeoutsTripBreaker,
      Duration healthPollInterval,
      BreakerSettings breaker) {
    this(
        minCallTimeout,
        rewards,
        timeoutsTripBreaker,
        healthPollInterval,
        breaker,
        DEFAULT_RECENT_ANSWER_WINDOW);
  }

  public static final Duration DEFAULT_RECENT_ANSWER_WINDOW = Duration.ofSeconds(10);

  /** 5 ms timeout floor, no penalties, timeouts count, breakers polled every 200 ms. */
  public static InvokerSettings defaults() {
    return new InvokerSettings(
        Duration.ofMillis(5),
        Rewards.EFFECTIVE_ACCURACY,
        true,
        Duration.ofMillis(200),
        BreakerSettings.defaults());
  }

  public InvokerSettings withRewards(Rewards r) {
    return new InvokerSettings(
        minCallTimeout, r, timeoutsTripBreaker, healthPollInterval, breaker, recentAnswerWindow);
  }

  public InvokerSettings withTimeoutsTripBreaker(boolean trip) {
    return new InvokerSettings(
        minCallTimeout, rewards, trip, healthPollInterval, breaker, recentAnswerWindow);
  }

  public InvokerSettings withHealthPollInterval(Duration interval) {
    return new InvokerSettings(
        minCallTimeout, rewards, timeoutsTripBreaker, interval, breaker, recentAnswerWindow);
  }

  public InvokerSettings withBreaker(BreakerSettings settings) {
    return new InvokerSettings(
        minCallTimeout,
        rewards,
        timeoutsTripBreaker,
        healthPollInterval,
        settings,
        recentAnswerWindow);
  }

  public InvokerSettings withRecentAnswerWindow(Duration window) {
    return new InvokerSettings(
        minCallTimeout, rewards, timeoutsTripBreaker, healthPollInterval, breaker, window);
  }
}
