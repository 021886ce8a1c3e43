package io.surge.state.metrics;

import io.surge.schema.ResultStatus;
import java.util.Arrays;
import java.util.List;

/**
 * Scores one policy's run: every request's outcome in, the figures of DESIGN.md section 1 out —
 * effective accuracy (mean reward: the accuracy of on-time answers, late/failed/shed = 0), SLO
 * attainment, shed rate, p50/p99 latency of the answered requests, goodput and variant mix. Used by
 * the simulator, the demo and the reports alike so their figures mean the same.
 */
public final class Scoreboard {

  private final List<String> variants;
  private final long[] byOutcome = new long[ResultStatus.values().length];
  private final long[] byVariant;
  private double rewardSum;
  private double[] latencies = new double[1024];
  private int latencyCount;
  private long firstMillis = Long.MAX_VALUE;
  private long lastMillis = Long.MIN_VALUE;

  public Scoreboard(List<String> variants) {
    this.variants = List.copyOf(variants);
    this.byVariant = new long[variants.size()];
  }

  /**
   * Records one request.
   *
   * @param variant index of the serving variant, or -1 when shed
   * @param reward the request's reward: its variant's accuracy when OK; the configured reward of a
   *     late, failed or shed request counts as 0 here, since effective accuracy counts those
   *     answers as wrong whatever penalty training or the job gives them
   * @param latencyMs end-to-end latency (ignored when shed)
   * @param completedAtMillis when it ended, for goodput
   */
  public void record(
      ResultStatus outcome, int variant, double reward, double latencyMs, long completedAtMillis) {
    byOutcome[outcome.ordinal()]++;
    if (outcome == ResultStatus.OK) {
      rewardSum += reward;
    }
    if (variant >= 0) {
      byVariant[variant]++;
    }
    if (outcome != ResultStatus.SHED) {
      if (latencyCount == latencies.length) {
        latencies = Arrays.copyOf(latencies, latencyCount * 2);
      }
      latencies[latencyCount++] = latencyMs;
    }
    firstMillis = Math.min(firstMillis, completedAtMillis);
    lastMillis = Math.max(lastMillis, completedAtMillis);
  }

  public long requests() {
    long n = 0;
    for (long c : byOutcome) {
      n += c;
    }
    return n;
  }

  public long count(ResultStatus outcome) {
    return byOutcome[outcome.ordinal()];
  }

  /** The summary so far; NaN where nothing was recorded. */
  public Summary summary() {
    long n = requests();
    double[] sorted = Arrays.copyOf(latencies, latencyCount);
    Arrays.sort(sorted);
    double spanSeconds = n == 0 ? 0 : Math.max(1e-3, (lastMillis - firstMillis) / 1000.0);
    double[] mix = new double[byVariant.length];
    long served = Arrays.stream(byVariant).sum();
    for (int i = 0; i < mix.length; i++) {
      mix[i] = served == 0 ? 0 : (double) byVariant[i] / served;
    }
    return new Summary(
        n,
        n == 0 ? Double.NaN : rewardSum / n,
        ratio(count(ResultStatus.OK), n),
        ratio(count(ResultStatus.SHED), n),
        ratio(count(ResultStatus.LATE), n),
        ratio(count(ResultStatus.FAILED), n),
        Percentiles.sorted(sorted, 0.50),
        Percentiles.sorted(sorted, 0.99),
        n == 0 ? Double.NaN : count(ResultStatus.OK) / spanSeconds,
        variants,
        mix);
  }

  private static double ratio(long part, long whole) {
    return whole == 0 ? Double.NaN : (double) part / whole;
  }

  /** The figures of one run. Rates are fractions of all requests. */
  public record Summary(
      long requests,
      double effectiveAccuracy,
      double sloAttainment,
      double shedRate,
      double lateRate,
      double failedRate,
      double p50LatencyMs,
      double p99LatencyMs,
      double goodputPerSecond,
      List<String> variants,
      double[] variantMix) {

    /** The variant mix as "name 12%, ..." for tables. */
    public String mixText() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < variants.size(); i++) {
        if (variantMix[i] >= 0.005) {
          sb.append(sb.isEmpty() ? "" : " ")
              .append(variants.get(i))
              .append(' ')
              .append(Math.round(variantMix[i] * 100))
              .append('%');
        }
      }
      return sb.toString();
    }
  }
}
