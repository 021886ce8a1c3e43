package io.surge.cli;

import io.surge.cli.sql.ResultsSql;
import io.surge.cli.sql.SqlAnswer;
import io.surge.cli.sql.SqlException;
import io.surge.cli.sql.SqlScript;
import io.surge.cli.sql.TextTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code surge sql}: Flink SQL over the results topic on an embedded Flink, with the shipped DDL
 * (deploy/sql/results.sql), for users without a Flink distribution. Prints each answer as a table.
 */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Run Flink SQL over the results topic (table `results`, deploy/sql/results.sql) and print"
          + " the answers. Reads what the topic holds now (read_committed) and ends.",
      "The analysts' first queries: surge sql --bootstrap B --queries"
    })
final class SqlCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaClientOptions kafka = new KafkaClientOptions();

  @Option(
      names = "--topic-prefix",
      defaultValue = "",
      description = "Prefix of the job's topics (the table reads PREFIX + results)")
  String prefix;

  @ArgGroup(multiplicity = "1")
  Source source;

  static final class Source {
    @Option(
        names = {"-e", "--execute"},
        description = "Statements to run, separated by ';'")
    String statements;

    @Option(
        names = {"-f", "--file"},
        description = "A file of statements separated by ';'")
    Path file;

    @Option(names = "--queries", description = "The shipped queries of deploy/sql/queries.sql")
    boolean shipped;
  }

  @Override
  public Integer call() {
    String script = script();
    if (SqlScript.parse(script).isEmpty()) {
      throw new SqlException("no statement to run");
    }
    ResultsSql sql = ResultsSql.connect(kafka.bootstrap, prefix, kafka.clientProperties());
    PrintWriter out = spec.commandLine().getOut();
    for (SqlScript.Statement statement : SqlScript.parse(script)) {
      SqlAnswer answer = sql.execute(statement);
      if (answer == null) {
        continue;
      }
      if (!answer.name().isEmpty()) {
        out.println("-- " + answer.name());
      }
      boolean ordered = statement.sql().toUpperCase(java.util.Locale.ROOT).contains("ORDER BY");
      out.println(TextTable.format(ordered ? answer : TextTable.sorted(answer)));
      out.flush();
    }
    return 0;
  }

  private String script() {
    if (source.shipped) {
      return ResultsSql.resource(ResultsSql.QUERIES_RESOURCE);
    }
    if (source.file == null) {
      return source.statements;
    }
    try {
      return Files.readString(source.file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source.file, e);
    }
  }
}
