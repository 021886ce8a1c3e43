package io.surge.cli.sql;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** An answer as a plain-text table: a header, a rule, one line per row, columns aligned. */
public final class TextTable {

  /** Timestamps with their seconds always shown (the default drops ":00"). */
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private static final DateTimeFormatter TIME_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  private TextTable() {}

  public static String format(SqlAnswer answer) {
    List<String> header = answer.columns();
    List<List<String>> cells = new ArrayList<>();
    for (List<Object> row : answer.rows()) {
      cells.add(row.stream().map(TextTable::text).toList());
    }
    int[] widths = new int[header.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = header.get(c).length();
      for (List<String> row : cells) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, header, widths);
    List<String> rule = new ArrayList<>();
    for (int width : widths) {
      rule.add("-".repeat(width));
    }
    line(out, rule, widths);
    for (List<String> row : cells) {
      line(out, row, widths);
    }
    out.append(answer.rows().size()).append(answer.rows().size() == 1 ? " row" : " rows");
    return out.append('\n').toString();
  }

  /**
   * The rows sorted by their columns left to right, for reading (a query without ORDER BY returns
   * them in whatever order its tasks finished).
   */
  public static SqlAnswer sorted(SqlAnswer answer) {
    List<List<Object>> rows = new ArrayList<>(answer.rows());
    rows.sort(TextTable::compareRows);
    return new SqlAnswer(answer.name(), answer.columns(), rows);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compareRows(List<Object> a, List<Object> b) {
    for (int i = 0; i < a.size(); i++) {
      Object x = a.get(i);
      Object y = b.get(i);
      int c;
      if (x == null || y == null) {
        c = x == null ? (y == null ? 0 : 1) : -1;
      } else if (x instanceof Comparable && x.getClass() == y.getClass()) {
        c = ((Comparable) x).compareTo(y);
      } else {
        c = text(x).compareTo(text(y));
      }
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static void line(StringBuilder out, List<String> cells, int[] widths) {
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      out.append(c == 0 ? "" : "  ").append(cell);
      if (c < cells.size() - 1) {
        out.append(" ".repeat(widths[c] - cell.length()));
      }
    }
    out.append('\n');
  }

  /** Doubles to 4 decimals (rates and accuracies read well so), everything else as it prints. */
  static String text(Object value) {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof LocalDateTime time) {
      return (time.getNano() == 0 ? TIME : TIME_MILLIS).format(time);
    }
    if (value instanceof Double || value instanceof Float) {
      return String.format(Locale.ROOT, "%.4f", ((Number) value).doubleValue());
    }
    return value.toString();
  }
}
