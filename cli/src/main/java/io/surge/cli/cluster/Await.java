package io.surge.cli.cluster;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes; no fixed sleeps. */
public final class Await {

  private static final Duration POLL = Duration.ofMillis(200);

  private Await() {}

  /** A value the condition produced, or a {@link TimeoutError} naming what was awaited. */
  public static <T> T until(String what, Duration timeout, Supplier<Optional<T>> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> value = condition.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** Waits until {@code condition} holds. */
  public static void until(
      String what, Duration timeout, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    until(what, timeout, () -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty());
  }

  /** A wait that ran past its deadline. */
  public static final class TimeoutError extends AssertionError {
    TimeoutError(String message) {
      super(message);
    }
  }
}
