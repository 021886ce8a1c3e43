package io.surge.cli.demo;

import io.surge.schema.ResultStatus;
import java.util.Arrays;

/**
 * Requests per second of a run by when they were created (arrival rate) and how they ended: every
 * request has exactly one result, so binning results by creation time gives the arrival timeline
 * and the outcome of each second's arrivals, and their effective accuracy (the on-time answers'
 * accuracy summed, per second's arrivals).
 */
public final class Timeline {

  private final long startMillis;
  private long[] arrivals = new long[64];
  private final long[][] byOutcome = new long[ResultStatus.values().length][64];
  private double[] onTimeAccuracy = new double[64];
  private int seconds;

  public Timeline(long startMillis) {
    this.startMillis = startMillis;
  }

  /**
   * Counts a request created at {@code createdMillis} that ended as {@code outcome}.
   *
   * @param accuracy its variant's accuracy (percent); counted only when it was answered on time
   */
  public void add(long createdMillis, ResultStatus outcome, double accuracy) {
    int second = (int) Math.max(0, (createdMillis - startMillis) / 1000);
    ensure(second + 1);
    arrivals[second]++;
    byOutcome[outcome.ordinal()][second]++;
    if (outcome == ResultStatus.OK) {
      onTimeAccuracy[second] += accuracy;
    }
    seconds = Math.max(seconds, second + 1);
  }

  private void ensure(int size) {
    if (size <= arrivals.length) {
      return;
    }
    int n = Math.max(size, arrivals.length * 2);
    arrivals = Arrays.copyOf(arrivals, n);
    onTimeAccuracy = Arrays.copyOf(onTimeAccuracy, n);
    for (int i = 0; i < byOutcome.length; i++) {
      byOutcome[i] = Arrays.copyOf(byOutcome[i], n);
    }
  }

  /** Seconds with at least one arrival, counting from the start. */
  public int seconds() {
    return seconds;
  }

  public long arrivals(int second) {
    return arrivals[second];
  }

  public long count(int second, ResultStatus outcome) {
    return byOutcome[outcome.ordinal()][second];
  }

  /** The accuracy (percent) of the second's arrivals that were answered on time, summed. */
  public double onTimeAccuracy(int second) {
    return onTimeAccuracy[second];
  }

  /** A copy, so a snapshot does not change while the run goes on. */
  public Timeline copy() {
    Timeline t = new Timeline(startMillis);
    t.ensure(arrivals.length);
    System.arraycopy(arrivals, 0, t.arrivals, 0, arrivals.length);
    System.arraycopy(onTimeAccuracy, 0, t.onTimeAccuracy, 0, arrivals.length);
    for (int i = 0; i < byOutcome.length; i++) {
      System.arraycopy(byOutcome[i], 0, t.byOutcome[i], 0, arrivals.length);
    }
    t.seconds = seconds;
    return t;
  }
}
