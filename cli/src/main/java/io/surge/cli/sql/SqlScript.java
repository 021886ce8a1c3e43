package io.surge.cli.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * A file of SQL statements split at the semicolons that end them (not those inside quotes or
 * comments). A statement preceded by a {@code -- name: NAME} comment line carries that name, so a
 * file of queries can be run as a whole and its answers told apart.
 */
public final class SqlScript {

  private static final String NAME_MARK = "-- name:";

  /** One statement, without its semicolon; {@code name} is empty when none was given. */
  public record Statement(String name, String sql) {}

  private SqlScript() {}

  public static List<Statement> parse(String text) {
    List<Statement> statements = new ArrayList<>();
    StringBuilder sql = new StringBuilder();
    String name = "";
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '-' && text.startsWith("--", i)) {
        int end = lineEnd(text, i);
        String comment = text.substring(i, end).trim();
        if (comment.startsWith(NAME_MARK) && sql.toString().isBlank()) {
          name = comment.substring(NAME_MARK.length()).trim();
        }
        i = end;
      } else if (c == '/' && text.startsWith("/*", i)) {
        int end = text.indexOf("*/", i + 2);
        i = end < 0 ? text.length() : end + 2;
      } else if (c == '\'' || c == '"' || c == '`') {
        int end = closingQuote(text, i, c);
        sql.append(text, i, end);
        i = end;
      } else if (c == ';') {
        add(statements, name, sql);
        sql.setLength(0);
        name = "";
        i++;
      } else {
        sql.append(c);
        i++;
      }
    }
    add(statements, name, sql);
    return statements;
  }

  private static void add(List<Statement> statements, String name, StringBuilder sql) {
    String text = sql.toString().strip();
    if (!text.isEmpty()) {
      statements.add(new Statement(name, text));
    }
  }

  private static int lineEnd(String text, int from) {
    int end = text.indexOf('\n', from);
    return end < 0 ? text.length() : end + 1;
  }

  /** The index after the quote that closes the one at {@code from}; a doubled quote escapes. */
  private static int closingQuote(String text, int from, char quote) {
    int i = from + 1;
    while (i < text.length()) {
      if (text.charAt(i) == quote) {
        if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return text.length();
  }
}
