package io.surge.serving.profile;

import io.surge.serving.ladder.LadderTable;
import io.surge.state.catalog.LatencyProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a profiled ladder's batch-1 latencies compare with the reference it imitates: each rung's
 * median relative to the smallest rung's, against the reference ratio (ResNet-18/34/50/101/152 on a
 * Jetson Xavier: 1 : 1.7 : 2.1 : 3.7 : 5.2).
 */
public final class LadderRatios {

  /** Deviation from the reference ratio still counted as a match: ±25 %. */
  public static final double TOLERANCE = 0.25;

  /**
   * One rung.
   *
   * @param ratio batch-1 median over the smallest rung's
   * @param target the reference ratio
   */
  public record Row(String model, double medianMs, double ratio, double target) {
    /** Relative deviation from the target, e.g. 0.1 = 10 % slower than the reference. */
    public double deviation() {
      return ratio / target - 1;
    }

    public boolean withinTolerance() {
      return Math.abs(deviation()) <= TOLERANCE;
    }
  }

  private LadderRatios() {}

  /**
   * The rungs of {@code table} that the profile has at batch 1 on {@code server}, in ladder order;
   * empty when it lacks the smallest rung (nothing to compare with).
   */
  public static List<Row> compare(LatencyProfile profile, String server, LadderTable table) {
    Map<String, Double> batchOne = new HashMap<>();
    for (LatencyProfile.Entry e : profile.entries()) {
      if (e.server().equals(server) && e.batch() == 1) {
        batchOne.put(e.model(), e.medianMs());
      }
    }
    return compare(batchOne, table);
  }

  /** The same from the server's own batch-1 execution times. */
  public static List<Row> compare(List<Profiler.ServerCompute> compute, LadderTable table) {
    Map<String, Double> batchOne = new HashMap<>();
    for (Profiler.ServerCompute c : compute) {
      if (c.batch() == 1) {
        batchOne.put(c.model(), c.meanMs());
      }
    }
    return compare(batchOne, table);
  }

  /** Rows for the rungs of {@code table} found in {@code batchOneMs} (model to milliseconds). */
  public static List<Row> compare(Map<String, Double> batchOneMs, LadderTable table) {
    List<Row> rows = new ArrayList<>();
    Double base = batchOneMs.get(table.rungs().get(0).name());
    if (base == null) {
      return rows;
    }
    for (int i = 0; i < table.rungs().size(); i++) {
      String model = table.rungs().get(i).name();
      Double ms = batchOneMs.get(model);
      if (ms != null) {
        rows.add(new Row(model, ms, ms / base, table.referenceRatio(i)));
      }
    }
    return rows;
  }

  /** A few lines for a terminal: one per rung, with the verdict. */
  public static String format(String what, List<Row> rows) {
    if (rows.isEmpty()) {
      return what + ": no batch-1 figure of the smallest ladder variant\n";
    }
    StringBuilder out = new StringBuilder(what + ", batch 1, relative to " + rows.get(0).model());
    out.append(" vs the reference ratios (±").append(Math.round(TOLERANCE * 100)).append(" %):\n");
    for (Row r : rows) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %-16s %8.3f ms  ratio %5.2f  target %4.1f  %+5.0f %%  %s%n",
              r.model(),
              r.medianMs(),
              r.ratio(),
              r.target(),
              100 * r.deviation(),
              r.withinTolerance() ? "ok" : "OUTSIDE"));
    }
    return out.toString();
  }
}
