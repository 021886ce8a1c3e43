package io.surge.cli.demo;

import io.surge.state.metrics.Scoreboard;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's summary, one row per policy, as aligned text for the terminal and as a Markdown table
 * for the report. Effective accuracy is the mean reward: the accuracy (percent) of on-time answers,
 * with late, failed and shed requests scoring 0.
 */
public final class SummaryTable {

  private static final String[] HEADER = {
    "policy",
    "requests",
    "eff. accuracy %",
    "SLO attainment %",
    "shed %",
    "late %",
    "failed %",
    "p50 ms",
    "p99 ms",
    "goodput/s",
    "variant mix (served)"
  };

  private SummaryTable() {}

  static List<String[]> rows(List<PolicyResult> results) {
    List<String[]> rows = new ArrayList<>();
    for (PolicyResult r : results) {
      Scoreboard.Summary s = r.summary();
      rows.add(
          new String[] {
            r.policy(),
            String.valueOf(s.requests()),
            fixed(s.effectiveAccuracy(), 2),
            percent(s.sloAttainment()),
            percent(s.shedRate()),
            percent(s.lateRate()),
            percent(s.failedRate()),
            fixed(s.p50LatencyMs(), 1),
            fixed(s.p99LatencyMs(), 1),
            fixed(s.goodputPerSecond(), 1),
            shortMix(s)
          });
    }
    return rows;
  }

  /** Aligned columns, for the terminal. */
  public static String text(List<PolicyResult> results) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    rows.addAll(rows(results));
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        // text columns left, numbers right
        boolean left = i == 0 || i == row.length - 1;
        String cell = left ? pad(row[i], widths[i], false) : pad(row[i], widths[i], true);
        sb.append(i == 0 ? "" : "  ").append(cell);
      }
      sb.append(System.lineSeparator());
    }
    return sb.toString();
  }

  /** A Markdown table, for the report. */
  public static String markdown(List<PolicyResult> results) {
    StringBuilder sb = new StringBuilder();
    sb.append("| ").append(String.join(" | ", HEADER)).append(" |\n");
    sb.append("|---");
    sb.append("|---:".repeat(HEADER.length - 2));
    sb.append("|---|\n");
    for (String[] row : rows(results)) {
      sb.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    return sb.toString();
  }

  private static String shortMix(Scoreboard.Summary s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.variants().size(); i++) {
      long pct = Math.round(s.variantMix()[i] * 100);
      if (pct > 0) {
        sb.append(sb.isEmpty() ? "" : " ")
            .append(RunProgress.shortName(s.variants().get(i)))
            .append(' ')
            .append(pct)
            .append('%');
      }
    }
    return sb.isEmpty() ? "-" : sb.toString();
  }

  private static String percent(double fraction) {
    return fixed(fraction * 100, 1);
  }

  private static String fixed(double value, int decimals) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  private static String pad(String s, int width, boolean right) {
    String space = " ".repeat(Math.max(0, width - s.length()));
    return right ? space + s : s + space;
  }
}
