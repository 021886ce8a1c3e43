package io.surge.cli.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScriptTest {

  @Test
  void splitsAtSemicolonsOutsideQuotesAndComments() {
    String script =
        """
        -- a comment; not a statement end
        CREATE TABLE t (a STRING) WITH ('x' = 'a;b');
        /* block; comment */ SELECT 'it''s; fine' FROM t;
        SELECT `odd;name` FROM t
        """;
    assertThat(SqlScript.parse(script))
        .extracting(SqlScript.Statement::sql)
        .containsExactly(
            "CREATE TABLE t (a STRING) WITH ('x' = 'a;b')",
            "SELECT 'it''s; fine' FROM t",
            "SELECT `odd;name` FROM t");
  }

  @Test
  void aNameLineNamesTheNextStatementOnly() {
    String script =
        """
        -- name: first
        -- what it tells
        SELECT 1;
        SELECT 2;
        -- name: third
        SELECT 3;
        """;
    assertThat(SqlScript.parse(script))
        .containsExactly(
            new SqlScript.Statement("first", "SELECT 1"),
            new SqlScript.Statement("", "SELECT 2"),
            new SqlScript.Statement("third", "SELECT 3"));
  }

  @Test
  void theShippedQueriesAreNamedAndTheDdlDefinesTheTable() {
    assertThat(SqlScript.parse(ResultsSql.resource(ResultsSql.QUERIES_RESOURCE)))
        .extracting(SqlScript.Statement::name)
        .containsExactly(
            "accuracy-per-policy-per-minute",
            "latency-per-variant",
            "outcomes-per-service",
            "variant-mix-vs-arrival-rate");
    assertThat(SqlScript.parse(ResultsSql.resource(ResultsSql.DDL_RESOURCE)))
        .singleElement()
        .satisfies(s -> assertThat(s.sql()).startsWith("CREATE TABLE results"));
  }

  @Test
  void tablesAlignColumnsAndRoundDoubles() {
    SqlAnswer answer =
        new SqlAnswer(
            "q",
            List.of("window_start", "variant", "share"),
            List.of(
                Arrays.asList(LocalDateTime.of(2026, 11, 30, 14, 58), "small", 0.123456),
                Arrays.asList(LocalDateTime.of(2026, 11, 30, 14, 59), null, 1.0)));
    assertThat(TextTable.format(answer))
        .isEqualTo(
            """
            window_start         variant  share
            -------------------  -------  ------
            2026-11-30 14:58:00  small    0.1235
            2026-11-30 14:59:00  NULL     1.0000
            2 rows
            """);
  }

  @Test
  void sortedRowsGoByTheirColumnsLeftToRightNullsLast() {
    SqlAnswer answer =
        new SqlAnswer(
            "q",
            List.of("w", "v"),
            List.of(
                Arrays.asList(2L, "b"),
                Arrays.asList(1L, null),
                Arrays.asList(1L, "a"),
                Arrays.asList(2L, "a")));
    assertThat(TextTable.sorted(answer).rows())
        .containsExactly(
            Arrays.asList(1L, "a"),
            Arrays.asList(1L, null),
            Arrays.asList(2L, "a"),
            Arrays.asList(2L, "b"));
  }

  @Test
  void anErrorIsTheDistinctFirstLinesOfItsCauses() {
    Exception e =
        new RuntimeException(
            "SQL validation failed. From line 1: Column 'x' not found\nmore detail",
            new IllegalStateException("From line 1: Column 'x' not found"));
    assertThat(ResultsSql.oneLine(e))
        .isEqualTo("SQL validation failed. From line 1: Column 'x' not found");
  }
}
