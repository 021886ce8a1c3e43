package io.surge.cli.chaos;

import io.surge.schema.InferenceResult;
import io.surge.schema.ResultStatus;
import io.surge.sim.disturb.Disturbance;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one fault window did, read from the results of the server it hit (times in seconds from the
 * start of the load): how soon the first call failed, how soon the scheduler routed around it (the
 * first second with no decision for it), how many results failed, its share of the decisions before
 * and during the window, and how soon after the window it served an OK answer again.
 *
 * @param routedAroundSeconds from the window's start to the first full second without a decision
 *     for the server; -1 when that never happened within the window
 * @param recoveredSeconds from the window's end to the first OK answer of the server decided after
 *     it; -1 when none
 */
record FaultFigures(
    Disturbance fault,
    String server,
    double firstFailureSeconds,
    double routedAroundSeconds,
    long failed,
    long circuitOpen,
    double shareBefore,
    double shareDuring,
    double medianServiceMsBefore,
    double medianServiceMsDuring,
    double recoveredSeconds) {

  /** A full second without a decision for the server: the scheduler masked it. */
  static final double ROUTED_GAP_SECONDS = 1.0;

  static FaultFigures of(
      Disturbance d, List<String> servers, List<InferenceResult> results, long armedAtMillis) {
    String server = servers.get(d.serverIndex(servers));
    double start = d.at();
    double end = d.at() + d.duration();
    List<Double> decisionsInWindow = new ArrayList<>();
    List<Double> serviceBefore = new ArrayList<>();
    List<Double> serviceDuring = new ArrayList<>();
    double firstFailure = Double.POSITIVE_INFINITY;
    double recovered = Double.POSITIVE_INFINITY;
    long failed = 0;
    long circuitOpen = 0;
    long before = 0;
    long beforeOnServer = 0;
    long during = 0;
    long duringOnServer = 0;
    for (InferenceResult r : results) {
      double decided = seconds(r.getDecidedAt().toEpochMilli(), armedAtMillis);
      double completed = seconds(r.getCompletedAt().toEpochMilli(), armedAtMillis);
      boolean mine = server.equals(r.getServer());
      boolean ok = ResultStatus.OK.name().equals(r.getStatus());
      double serviceMs = (r.getCompletedAt().toEpochMilli() - r.getDecidedAt().toEpochMilli());
      boolean served = r.getServer() != null;
      if (served && decided < start && decided >= 0) {
        before++;
        beforeOnServer += mine ? 1 : 0;
        if (mine && ok) {
          serviceBefore.add(serviceMs);
        }
      }
      if (served && decided >= start && decided < end) {
        during++;
        duringOnServer += mine ? 1 : 0;
      }
      if (!mine) {
        continue;
      }
      if (decided >= start && decided < end) {
        decisionsInWindow.add(decided);
        if (ok) {
          serviceDuring.add(serviceMs);
        }
      }
      if (ResultStatus.FAILED.name().equals(r.getStatus()) && completed >= start) {
        failed++;
        circuitOpen += r.getError() != null && r.getError().contains("circuit open") ? 1 : 0;
        firstFailure = Math.min(firstFailure, completed - start);
      }
      if (ok && decided >= end) {
        recovered = Math.min(recovered, completed - end);
      }
    }
    decisionsInWindow.sort(null);
    return new FaultFigures(
        d,
        server,
        Double.isInfinite(firstFailure) ? -1 : firstFailure,
        routedAround(decisionsInWindow, start, end),
        failed,
        circuitOpen,
        before == 0 ? 0 : (double) beforeOnServer / before,
        during == 0 ? 0 : (double) duringOnServer / during,
        median(serviceBefore),
        median(serviceDuring),
        Double.isInfinite(recovered) ? -1 : recovered);
  }

  private static double seconds(long epochMillis, long armedAtMillis) {
    return (epochMillis - armedAtMillis) / 1e3;
  }

  /** Seconds from {@code start} to the first {@link #ROUTED_GAP_SECONDS} gap, or -1. */
  static double routedAround(List<Double> sortedDecisions, double start, double end) {
    double previous = start;
    for (double t : sortedDecisions) {
      if (t - previous >= ROUTED_GAP_SECONDS) {
        return previous - start;
      }
      previous = Math.max(previous, t);
    }
    return end - previous >= ROUTED_GAP_SECONDS ? previous - start : -1;
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    values.sort(null);
    return values.get(values.size() / 2);
  }

  /** One line for the scenario's log. */
  String line() {
    return String.format(
        Locale.ROOT,
        "%s on %s (%.0f-%.0f s): first failure after %.1f s, routed around after %.1f s,"
            + " FAILED %d (circuit open %d), its share of decisions %.0f %% before, %.0f %%"
            + " during; median service time of its OK answers %.0f ms before, %.0f ms during;"
            + " OK again %.1f s after the window",
        fault.kind().keyword(),
        server,
        fault.at(),
        fault.at() + fault.duration(),
        firstFailureSeconds,
        routedAroundSeconds,
        failed,
        circuitOpen,
        100 * shareBefore,
        100 * shareDuring,
        medianServiceMsBefore,
        medianServiceMsDuring,
        recoveredSeconds);
  }

  /** The figures for the PASS/FAIL line. */
  String summary() {
    if (fault.kind() == Disturbance.Kind.SLOWDOWN) {
      return String.format(
          Locale.ROOT,
          "%s %s: FAILED %d, service %.0f -> %.0f ms, share %.0f -> %.0f %%",
          fault.kind().keyword(),
          server,
          failed,
          medianServiceMsBefore,
          medianServiceMsDuring,
          100 * shareBefore,
          100 * shareDuring);
    }
    return String.format(
        Locale.ROOT,
        "%s %s: FAILED %d, routed around %.1f s, recovered %.1f s",
        fault.kind().keyword(),
        server,
        failed,
        routedAroundSeconds,
        recoveredSeconds);
  }
}
