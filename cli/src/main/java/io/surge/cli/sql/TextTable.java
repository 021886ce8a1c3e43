package io.surge.cli.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** An answer as a plain-text table: a header, a rule, one line per row, columns aligned. */
public final class TextTable {

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
    if (value instanceof Double || value instanceof Float) {
      return String.format(Locale.ROOT, "%.4f", ((Number) value).doubleValue());
    }
    return value.toString();
  }
}
