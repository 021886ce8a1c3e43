package io.surge.cli.demo;

import io.surge.schema.ResultStatus;
import java.util.Arrays;

/**
 * Requests per second of a run by when they were created (arrival rate), how they ended and which
 * variant served them: every request has exactly one result, so binning results by creation time
 * gives the arrival timeline and the outcome of each second's arrivals, and their effective
 * accuracy (the on-time answers' accuracy summed, per second's arrivals).
 */
public final class Timeline {

  private final long startMillis;
  private long[] arrivals = new long[64];
  private final long[][] byOutcome = new long[ResultStatus.values().length][64];
  private final long[][] byVariant;
  private double[] onTimeAccuracy = new double[64];
  private int seconds;

  /**
   * @param startMillis where second 0 is
   * @param variants how many variants the service has
   */
  public Timeline(long startMillis, int variants) {
    this.startMillis = startMillis;
    this.byVariant = new long[variants][64];
  }

  /**
   * Counts a request created at {@code createdMillis} that ended as {@code outcome}.
   *
   * @param accuracy its variant's accuracy (percent); counted only when it was answered on time
   * @param variant the variant it was sent to (catalog index), -1 when none (shed)
   */
  public void add(long createdMillis, ResultStatus outcome, double accuracy, int variant) {
    int second = (int) Math.max(0, (createdMillis - startMillis) / 1000);
    ensure(second + 1);
    arrivals[second]++;
    byOutcome[outcome.ordinal()][second]++;
    if (variant >= 0) {
      byVariant[variant][second]++;
    }
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
    for (int v = 0; v < byVariant.length; v++) {
      byVariant[v] = Arrays.copyOf(byVariant[v], n);
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

  /** The second's arrivals the policy sent to {@code variant}, however they ended. */
  public long sentTo(int second, int variant) {
    return byVariant[variant][second];
  }

  public int variants() {
    return byVariant.length;
  }

  /** The accuracy (percent) of the second's arrivals that were answered on time, summed. */
  public double onTimeAccuracy(int second) {
    return onTimeAccuracy[second];
  }

  /** A copy, so a snapshot does not change while the run goes on. */
  public Timeline copy() {
    Timeline t = new Timeline(startMillis, byVariant.length);
    t.ensure(arrivals.length);
    System.arraycopy(arrivals, 0, t.arrivals, 0, arrivals.length);
    System.arraycopy(onTimeAccuracy, 0, t.onTimeAccuracy, 0, arrivals.length);
    for (int i = 0; i < byOutcome.length; i++) {
      System.arraycopy(byOutcome[i], 0, t.byOutcome[i], 0, arrivals.length);
    }
    for (int v = 0; v < byVariant.length; v++) {
      System.arraycopy(byVariant[v], 0, t.byVariant[v], 0, arrivals.length);
    }
    t.seconds = seconds;
    return t;
  }
}
