package io.surge.sim.engine;

import io.surge.sim.workload.ArrivalProcess;

/**
 * The arrival process read through a small buffer, so the simulator can count the arrivals still to
 * come within a window (the oracle's privileged "true arrivals in the next second") without
 * changing the sequence: the buffer only reads ahead. Times are nanoseconds; {@link Long#MAX_VALUE}
 * once the process is exhausted or past the run's end.
 */
final class ArrivalLookahead {

  private final ArrivalProcess process;
  private final long endNanos;
  private long[] ring = new long[256];
  private int head;
  private int size;
  private boolean exhausted;

  /** Index (from head) of the first buffered arrival not yet counted as inside the window. */
  private int counted;

  ArrivalLookahead(ArrivalProcess process, long endNanos) {
    this.process = process;
    this.endNanos = endNanos;
  }

  /** The next arrival, removed from the stream. */
  long next() {
    long t = size > 0 ? removeFirst() : pull();
    counted = Math.max(0, counted - 1);
    return t;
  }

  /**
   * Arrivals not yet taken with {@link #next} at or before {@code untilNanos}; calls must not move
   * {@code untilNanos} backwards.
   */
  int countUntil(long untilNanos) {
    while (true) {
      if (counted == size) {
        long t = pull();
        if (t == Long.MAX_VALUE) {
          return counted;
        }
        append(t);
      }
      if (ring[(head + counted) % ring.length] > untilNanos) {
        return counted;
      }
      counted++;
    }
  }

  private long pull() {
    if (exhausted) {
      return Long.MAX_VALUE;
    }
    long t = process.nextArrivalNanos();
    if (t >= endNanos) {
      exhausted = true;
      return Long.MAX_VALUE;
    }
    return t;
  }

  private void append(long t) {
    if (size == ring.length) {
      long[] bigger = new long[ring.length * 2];
      for (int i = 0; i < size; i++) {
        bigger[i] = ring[(head + i) % ring.length];
      }
      ring = bigger;
      head = 0;
    }
    ring[(head + size) % ring.length] = t;
    size++;
  }

  private long removeFirst() {
    long t = ring[head];
    head = (head + 1) % ring.length;
    size--;
    return t;
  }
}
