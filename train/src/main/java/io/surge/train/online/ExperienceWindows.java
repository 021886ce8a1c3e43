package io.surge.train.online;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The learner's recent experience: transitions deduplicated by request id (the topic is
 * at-least-once) and kept per service, bounded by count and by age, so that a candidate is made
 * from what the job sees now, not from the regime before a drift.
 */
public final class ExperienceWindows {

  private final RecentIds seen;
  private final int maxDecisions;
  private final long windowMillis;
  private final Map<String, Deque<LoggedDecision>> services = new LinkedHashMap<>();
  // decisions of several partitions interleave: the last one in is not always the newest
  private final Map<String, Long> newest = new LinkedHashMap<>();
  private long duplicates;

  /**
   * @param dedupCapacity request ids remembered for deduplication
   * @param maxDecisions decisions kept per service (the oldest go first)
   * @param windowMillis decisions older than this before the service's newest one go
   */
  public ExperienceWindows(int dedupCapacity, int maxDecisions, long windowMillis) {
    this.seen = new RecentIds(dedupCapacity);
    this.maxDecisions = maxDecisions;
    this.windowMillis = windowMillis;
  }

  /** Keeps {@code decision} unless its request id was seen; true when kept. */
  public boolean accept(LoggedDecision decision) {
    if (!seen.firstSighting(decision.requestId())) {
      duplicates++;
      return false;
    }
    Deque<LoggedDecision> window =
        services.computeIfAbsent(decision.service(), s -> new ArrayDeque<>());
    window.addLast(decision);
    while (window.size() > maxDecisions) {
      window.removeFirst();
    }
    long horizon =
        newest.merge(decision.service(), decision.decidedAtMillis(), Math::max) - windowMillis;
    while (!window.isEmpty() && window.peekFirst().decidedAtMillis() < horizon) {
      window.removeFirst();
    }
    return true;
  }

  public Set<String> services() {
    return services.keySet();
  }

  /** The kept decisions of {@code service}, oldest first. */
  public List<LoggedDecision> decisions(String service) {
    return new ArrayList<>(services.getOrDefault(service, new ArrayDeque<>()));
  }

  /** When the kept decisions of {@code service} were made: its recent arrivals. */
  public long[] arrivalMillis(String service) {
    return services.getOrDefault(service, new ArrayDeque<>()).stream()
        .mapToLong(LoggedDecision::decidedAtMillis)
        .toArray();
  }

  public int size(String service) {
    return services.getOrDefault(service, new ArrayDeque<>()).size();
  }

  /** Transitions dropped as already seen. */
  public long duplicates() {
    return duplicates;
  }
}
