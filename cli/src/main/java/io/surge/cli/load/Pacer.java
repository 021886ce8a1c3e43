package io.surge.cli.load;

/**
 * Maps arrival offsets to due times on the monotonic clock. Being late by up to {@code maxLag} is
 * caught up at once (a burst no larger than what arrives in {@code maxLag}); beyond that the
 * schedule is shifted so the lag stays at {@code maxLag}: after a stall the missed arrivals are
 * sent late, at their own pace, instead of all at once.
 */
final class Pacer {

  private final long start;
  private final long maxLag;
  private long shift;
  private long maxObservedLag;

  Pacer(long startNanos, long maxLagNanos) {
    this.start = startNanos;
    this.maxLag = maxLagNanos;
  }

  /** When the arrival at {@code offsetNanos} is due, on the current schedule. */
  long due(long offsetNanos) {
    return start + offsetNanos + shift;
  }

  /** Records that the arrival due at {@code due} is sent at {@code now}; shifts if too late. */
  void sentAt(long due, long now) {
    long lag = now - due;
    maxObservedLag = Math.max(maxObservedLag, lag);
    if (lag > maxLag) {
      shift += lag - maxLag;
    }
  }

  /** How far the schedule has been pushed back so far, in nanoseconds. */
  long shift() {
    return shift;
  }

  long maxObservedLag() {
    return maxObservedLag;
  }
}
