package io.surge.state;

/**
 * The in-flight requests of a {@link WorkloadState}: an open-addressing hash table with linear
 * probing over the state's primitive arrays, keyed by {@link RequestIds#key}. Removal shifts the
 * following entries back (no tombstones), so the table never degrades. Capacity is a power of two
 * kept at most half full; it doubles when needed, the only allocation, amortised and rare.
 */
final class InFlightTable {

  static final int INITIAL_CAPACITY = 256;
  static final int NOT_FOUND = -1;

  private InFlightTable() {}

  static void allocate(WorkloadState s, int capacity) {
    int cap = Integer.highestOneBit(Math.max(4, capacity) * 2 - 1);
    s.inflightKeys = new long[cap];
    s.inflightPairs = new int[cap];
    s.inflightSinceNanos = new long[cap];
    s.inflightPredictedMs = new float[cap];
    s.inflightCount = 0;
  }

  /** Adds a request with its predicted latency (NaN: none); false when its key is in flight. */
  static boolean insert(WorkloadState s, long key, int pair, long nowNanos, float predictedMs) {
    if ((s.inflightCount + 1) * 2 > s.inflightKeys.length) {
      grow(s);
    }
    int mask = s.inflightKeys.length - 1;
    int i = home(key, mask);
    while (s.inflightKeys[i] != 0) {
      if (s.inflightKeys[i] == key) {
        return false;
      }
      i = (i + 1) & mask;
    }
    s.inflightKeys[i] = key;
    s.inflightPairs[i] = pair;
    s.inflightSinceNanos[i] = nowNanos;
    s.inflightPredictedMs[i] = predictedMs;
    s.inflightCount++;
    return true;
  }

  /** Slot of a key, or {@link #NOT_FOUND}. */
  static int find(WorkloadState s, long key) {
    int mask = s.inflightKeys.length - 1;
    int i = home(key, mask);
    while (s.inflightKeys[i] != 0) {
      if (s.inflightKeys[i] == key) {
        return i;
      }
      i = (i + 1) & mask;
    }
    return NOT_FOUND;
  }

  /** Empties a slot, shifting back the entries of its probe chain. */
  static void removeAt(WorkloadState s, int slot) {
    long[] keys = s.inflightKeys;
    int mask = keys.length - 1;
    int hole = slot;
    int j = slot;
    while (true) {
      j = (j + 1) & mask;
      if (keys[j] == 0) {
        break;
      }
      int h = home(keys[j], mask);
      // entry j may fill the hole only if its home is not cyclically within (hole, j]
      boolean homeBetween = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
      if (homeBetween) {
        continue;
      }
      keys[hole] = keys[j];
      s.inflightPairs[hole] = s.inflightPairs[j];
      s.inflightSinceNanos[hole] = s.inflightSinceNanos[j];
      s.inflightPredictedMs[hole] = s.inflightPredictedMs[j];
      hole = j;
    }
    keys[hole] = 0;
    s.inflightCount--;
  }

  private static void grow(WorkloadState s) {
    long[] keys = s.inflightKeys;
    int[] pairs = s.inflightPairs;
    long[] since = s.inflightSinceNanos;
    float[] predicted = s.inflightPredictedMs;
    allocate(s, keys.length * 2);
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != 0) {
        insert(s, keys[i], pairs[i], since[i], predicted[i]);
      }
    }
  }

  private static int home(long key, int mask) {
    return (int) (key ^ (key >>> 32)) & mask;
  }
}
