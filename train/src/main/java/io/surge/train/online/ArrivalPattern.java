package io.surge.train.online;

import io.surge.sim.workload.WorkloadSpec;
import java.util.Arrays;
import java.util.Locale;

/**
 * The recent arrival pattern as a workload spec (DESIGN.md section 6) the simulator can replay with
 * fresh randomness: arrivals are counted per second, the seconds split into a calm and a busy level
 * (two-means on the counts), and the levels' mean rates and mean run lengths become a two-phase
 * MMPP. Counts that do not split into two clearly different levels (the busy one less than {@value
 * #BURST_RATIO} times the calm one, or either seen for fewer than 2 seconds) become a Poisson
 * process at the mean rate.
 */
public final class ArrivalPattern {

  static final double BURST_RATIO = 1.5;

  private ArrivalPattern() {}

  /**
   * @param arrivalMillis arrival times, in any order
   * @return null when there is less than 2 seconds of arrivals
   */
  public static WorkloadSpec fit(long[] arrivalMillis) {
    if (arrivalMillis.length == 0) {
      return null;
    }
    long[] times = arrivalMillis.clone();
    Arrays.sort(times);
    long first = times[0];
    // whole seconds only: the last, partial second would read as a lull
    int seconds = (int) ((times[times.length - 1] - first) / 1000);
    if (seconds < 2) {
      return null;
    }
    double[] counts = new double[seconds];
    for (long t : times) {
      int s = (int) ((t - first) / 1000);
      if (s < seconds) {
        counts[s]++;
      }
    }
    double mean = Arrays.stream(counts).average().orElse(0);
    boolean[] busy = twoMeans(counts, mean);
    double calm = levelMean(counts, busy, false);
    double burst = levelMean(counts, busy, true);
    int calmSeconds = count(busy, false);
    int busySeconds = seconds - calmSeconds;
    if (calmSeconds < 2 || busySeconds < 2 || !(burst >= BURST_RATIO * Math.max(calm, 1))) {
      return WorkloadSpec.parse(String.format(Locale.ROOT, "poisson:rate=%.1f", Math.max(mean, 1)));
    }
    return WorkloadSpec.parse(
        String.format(
            Locale.ROOT,
            "mmpp:rates=%.1f/%.1f,dwell=%.2f/%.2f",
            Math.max(calm, 1),
            burst,
            meanRun(busy, false),
            meanRun(busy, true)));
  }

  /** Which seconds are busy: the threshold halfway between the two levels, iterated to rest. */
  private static boolean[] twoMeans(double[] counts, double start) {
    boolean[] busy = new boolean[counts.length];
    double threshold = start;
    for (int iteration = 0; iteration < 20; iteration++) {
      for (int i = 0; i < counts.length; i++) {
        busy[i] = counts[i] > threshold;
      }
      double next = (levelMean(counts, busy, false) + levelMean(counts, busy, true)) / 2;
      if (Double.isNaN(next) || next == threshold) {
        break;
      }
      threshold = next;
    }
    return busy;
  }

  private static double levelMean(double[] counts, boolean[] busy, boolean level) {
    double sum = 0;
    int n = 0;
    for (int i = 0; i < counts.length; i++) {
      if (busy[i] == level) {
        sum += counts[i];
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  private static int count(boolean[] busy, boolean level) {
    int n = 0;
    for (boolean b : busy) {
      n += b == level ? 1 : 0;
    }
    return n;
  }

  /** Mean length in seconds of the runs of {@code level}. */
  private static double meanRun(boolean[] busy, boolean level) {
    int runs = 0;
    int seconds = 0;
    for (int i = 0; i < busy.length; i++) {
      if (busy[i] == level) {
        seconds++;
        if (i == 0 || busy[i - 1] != level) {
          runs++;
        }
      }
    }
    return runs == 0 ? 1 : (double) seconds / runs;
  }
}
