package io.surge.sim.engine;

import java.util.Arrays;

/**
 * The requests of a run as array-indexed records (structure of arrays) with a free list, so a
 * request costs no allocation. A record lives while something refers to it (a pending event, a
 * batching queue, a running batch): {@link #retain} and {@link #release} count those, and the last
 * release frees the slot.
 */
final class RequestTable {

  /** {@link #outcome} of a request whose call is still open (no result yet). */
  static final byte OPEN = -1;

  long[] key;
  long[] createdAt;
  long[] deadlineAt;
  long[] enqueuedAt;
  long[] resultAt;
  long[] decision;
  long[] upNanos;
  long[] downNanos;
  long[] seenNanos;
  int[] variant;
  int[] server;
  byte[] outcome;
  byte[] replyOutcome;
  private int[] refs;
  private int[] free;
  private int freeCount;
  private int capacity;

  RequestTable(int capacity) {
    allocate(capacity);
  }

  private void allocate(int n) {
    key = new long[n];
    createdAt = new long[n];
    deadlineAt = new long[n];
    enqueuedAt = new long[n];
    resultAt = new long[n];
    decision = new long[n];
    upNanos = new long[n];
    downNanos = new long[n];
    seenNanos = new long[n];
    variant = new int[n];
    server = new int[n];
    outcome = new byte[n];
    replyOutcome = new byte[n];
    refs = new int[n];
    free = new int[n];
    capacity = n;
    clear();
  }

  /** Frees every slot. */
  void clear() {
    freeCount = capacity;
    for (int i = 0; i < capacity; i++) {
      free[i] = capacity - 1 - i;
    }
    Arrays.fill(refs, 0);
  }

  /** A free slot, its call open and nothing referring to it yet. */
  int allocate() {
    if (freeCount == 0) {
      grow();
    }
    int slot = free[--freeCount];
    outcome[slot] = OPEN;
    refs[slot] = 0;
    return slot;
  }

  void retain(int slot) {
    refs[slot]++;
  }

  void release(int slot) {
    if (--refs[slot] == 0) {
      free[freeCount++] = slot;
    }
  }

  boolean isOpen(int slot) {
    return outcome[slot] == OPEN;
  }

  /** Doubles the capacity, keeping every record (rare: only when more requests are alive). */
  private void grow() {
    int old = capacity;
    int n = old * 2;
    key = Arrays.copyOf(key, n);
    createdAt = Arrays.copyOf(createdAt, n);
    deadlineAt = Arrays.copyOf(deadlineAt, n);
    enqueuedAt = Arrays.copyOf(enqueuedAt, n);
    resultAt = Arrays.copyOf(resultAt, n);
    decision = Arrays.copyOf(decision, n);
    upNanos = Arrays.copyOf(upNanos, n);
    downNanos = Arrays.copyOf(downNanos, n);
    seenNanos = Arrays.copyOf(seenNanos, n);
    variant = Arrays.copyOf(variant, n);
    server = Arrays.copyOf(server, n);
    outcome = Arrays.copyOf(outcome, n);
    replyOutcome = Arrays.copyOf(replyOutcome, n);
    refs = Arrays.copyOf(refs, n);
    free = Arrays.copyOf(free, n);
    for (int i = n - 1; i >= old; i--) {
      free[freeCount++] = i;
    }
    capacity = n;
  }
}
