package io.surge.train.online;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deduplication by request id with bounded memory: remembers the last {@code capacity} ids seen.
 * The experience topic is at-least-once (a job restart re-sends the transitions after its last
 * checkpoint), and those duplicates arrive close to their originals, so a window of recent ids is
 * enough; an id older than the window would be counted twice, once.
 */
public final class RecentIds {

  private final Map<String, Boolean> ids;

  public RecentIds(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.ids =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** True the first time {@code id} is seen (within the window), false for a duplicate. */
  public boolean firstSighting(String id) {
    return ids.putIfAbsent(id, Boolean.TRUE) == null;
  }

  public int size() {
    return ids.size();
  }
}
