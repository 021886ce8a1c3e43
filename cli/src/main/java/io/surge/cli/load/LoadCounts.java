package io.surge.cli.load;

import java.util.Map;

/**
 * What a load run sent.
 *
 * @param valid valid requests handed to the producer
 * @param invalid deliberately invalid records handed to the producer
 * @param invalidByKind {@code invalid} split by kind
 * @param failed records (of either sort) the broker never acknowledged
 * @param seconds wall time from the first send to the final flush
 * @param maxLagMs the furthest sending fell behind the schedule, in milliseconds
 */
public record LoadCounts(
    long valid,
    long invalid,
    Map<InvalidKind, Long> invalidByKind,
    long failed,
    double seconds,
    double maxLagMs) {

  public LoadCounts {
    invalidByKind = Map.copyOf(invalidByKind);
  }

  public long sent() {
    return valid + invalid;
  }

  /** Mean send rate in records/s. */
  public double rate() {
    return seconds > 0 ? sent() / seconds : 0;
  }
}
