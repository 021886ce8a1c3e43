package io.surge.sim.engine;

import java.util.Arrays;

/**
 * A binary min-heap of events over primitive arrays: (time, insertion order) keys, a {@code long}
 * payload. Equal times pop in insertion order, so a run does not depend on heap layout. Grows by
 * doubling (rare); otherwise allocation-free.
 */
final class EventQueue {

  private long[] times = new long[1024];
  private long[] order = new long[1024];
  private long[] payloads = new long[1024];
  private int size;
  private long inserted;
  private long poppedTime;
  private long poppedPayload;

  void clear() {
    size = 0;
    inserted = 0;
  }

  void push(long time, long payload) {
    if (size == times.length) {
      times = Arrays.copyOf(times, size * 2);
      order = Arrays.copyOf(order, size * 2);
      payloads = Arrays.copyOf(payloads, size * 2);
    }
    int i = size++;
    long seq = inserted++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!less(time, seq, times[parent], order[parent])) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    set(i, time, seq, payload);
  }

  /** Removes the earliest event; read it with {@link #time()} and {@link #payload()}. */
  void pop() {
    poppedTime = times[0];
    poppedPayload = payloads[0];
    int last = --size;
    if (last == 0) {
      return;
    }
    long t = times[last];
    long s = order[last];
    long p = payloads[last];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= last) {
        break;
      }
      if (child + 1 < last
          && less(times[child + 1], order[child + 1], times[child], order[child])) {
        child++;
      }
      if (!less(times[child], order[child], t, s)) {
        break;
      }
      move(child, i);
      i = child;
    }
    set(i, t, s, p);
  }

  long time() {
    return poppedTime;
  }

  long payload() {
    return poppedPayload;
  }

  private static boolean less(long t1, long s1, long t2, long s2) {
    return t1 < t2 || (t1 == t2 && s1 < s2);
  }

  private void move(int from, int to) {
    times[to] = times[from];
    order[to] = order[from];
    payloads[to] = payloads[from];
  }

  private void set(int i, long time, long seq, long payload) {
    times[i] = time;
    order[i] = seq;
    payloads[i] = payload;
  }
}
