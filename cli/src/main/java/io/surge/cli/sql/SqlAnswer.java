package io.surge.cli.sql;

import java.util.List;

/**
 * The rows a query returned, with its column names; rows hold Flink's external Java values (String,
 * Long, Double, LocalDateTime, ...).
 */
public record SqlAnswer(String name, List<String> columns, List<List<Object>> rows) {

  /** The index of a column by name. */
  public int column(String column) {
    int index = columns.indexOf(column);
    if (index < 0) {
      throw new IllegalArgumentException("no column " + column + " in " + columns);
    }
    return index;
  }
}
