package io.surge.sim.engine;

import java.util.Arrays;

/**
 * One FIFO of request slots per (variant, server) pair, index {@code variant * servers + server}:
 * ring buffers that double when full (the batcher's own capacity bound is checked by the caller).
 */
final class BatchQueues {

  private final int[][] rings;
  private final int[] head;
  private final int[] size;

  BatchQueues(int queues) {
    rings = new int[queues][16];
    head = new int[queues];
    size = new int[queues];
  }

  void clear() {
    Arrays.fill(head, 0);
    Arrays.fill(size, 0);
  }

  int size(int q) {
    return size[q];
  }

  int peek(int q) {
    return rings[q][head[q]];
  }

  void add(int q, int slot) {
    int[] ring = rings[q];
    if (size[q] == ring.length) {
      int[] bigger = new int[ring.length * 2];
      for (int i = 0; i < size[q]; i++) {
        bigger[i] = ring[(head[q] + i) % ring.length];
      }
      rings[q] = ring = bigger;
      head[q] = 0;
    }
    ring[(head[q] + size[q]) % ring.length] = slot;
    size[q]++;
  }

  int poll(int q) {
    int[] ring = rings[q];
    int slot = ring[head[q]];
    head[q] = (head[q] + 1) % ring.length;
    size[q]--;
    return slot;
  }
}
