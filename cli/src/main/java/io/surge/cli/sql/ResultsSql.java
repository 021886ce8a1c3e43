package io.surge.cli.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.admin.Admin;

/**
 * Flink SQL over Surge's results topic on an embedded Flink: the shipped DDL ({@code
 * deploy/sql/results.sql}) defines the table {@code results}, which is then pointed at the given
 * cluster and topic prefix with {@code ALTER TABLE ... SET}. Queries run in batch mode over what
 * the topic holds when they start (read_committed, up to the latest offset), so each returns a
 * finished answer.
 */
public final class ResultsSql {

  /** The shipped DDL and the analysts' first queries, on the classpath (from deploy/sql/). */
  public static final String DDL_RESOURCE = "surge/sql/results.sql";

  public static final String QUERIES_RESOURCE = "surge/sql/queries.sql";

  /** The table the DDL defines, and the topic it reads (before the prefix). */
  public static final String TABLE = "results";

  private static final long ADMIN_TIMEOUT_SECONDS = 15;

  private final TableEnvironment tables;

  private ResultsSql(TableEnvironment tables) {
    this.tables = tables;
  }

  /**
   * Checks that the results topic exists on the cluster, then defines the table on it.
   *
   * @param kafkaProperties passed through to the Kafka clients (SASL/SSL and the like)
   * @throws SqlException when the cluster cannot be reached or has no such topic
   */
  public static ResultsSql connect(
      String bootstrap, String topicPrefix, Properties kafkaProperties) {
    return connect(bootstrap, topicPrefix, kafkaProperties, false);
  }

  /**
   * As {@link #connect(String, String, Properties)}, in streaming mode if {@code streaming}: the
   * event-time windows then close on the DDL's watermark (all of them at the end of the bounded
   * read). Only append-only queries (window aggregations) give final rows in streaming mode.
   */
  public static ResultsSql connect(
      String bootstrap, String topicPrefix, Properties kafkaProperties, boolean streaming) {
    String topic = topicPrefix + TABLE;
    requireTopic(bootstrap, topic, kafkaProperties);
    Configuration config = new Configuration();
    config.setString("parallelism.default", "1");
    EnvironmentSettings.Builder settings = EnvironmentSettings.newInstance();
    settings = streaming ? settings.inStreamingMode() : settings.inBatchMode();
    TableEnvironment tables = TableEnvironment.create(settings.withConfiguration(config).build());
    ResultsSql sql = new ResultsSql(tables);
    for (SqlScript.Statement ddl : SqlScript.parse(resource(DDL_RESOURCE))) {
      sql.execute(ddl);
    }
    StringBuilder alter = new StringBuilder("ALTER TABLE " + TABLE + " SET (");
    alter.append(option("properties.bootstrap.servers", bootstrap));
    alter.append(", ").append(option("topic", topic));
    for (Map.Entry<Object, Object> p : kafkaProperties.entrySet()) {
      alter.append(", ").append(option("properties." + p.getKey(), String.valueOf(p.getValue())));
    }
    sql.execute(new SqlScript.Statement("", alter.append(')').toString()));
    return sql;
  }

  private static String option(String key, String value) {
    return "'" + key.replace("'", "''") + "' = '" + value.replace("'", "''") + "'";
  }

  private static void requireTopic(String bootstrap, String topic, Properties kafkaProperties) {
    Properties props = new Properties();
    props.putAll(kafkaProperties);
    props.put("bootstrap.servers", bootstrap);
    props.putIfAbsent("request.timeout.ms", "10000");
    props.putIfAbsent("default.api.timeout.ms", "15000");
    Set<String> names;
    try (Admin admin = Admin.create(props)) {
      names = admin.listTopics().names().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new SqlException("cannot reach Kafka at " + bootstrap);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SqlException("interrupted");
    }
    if (!names.contains(topic)) {
      throw new SqlException(
          "no topic '"
              + topic
              + "' on "
              + bootstrap
              + " (the job's results topic; --topic-prefix?)");
    }
  }

  /** A classpath resource as text. */
  public static String resource(String name) {
    try (InputStream in = ResultsSql.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs every statement of a script in order; returns the answers of those that return rows. */
  public List<SqlAnswer> run(String script) {
    List<SqlAnswer> answers = new ArrayList<>();
    for (SqlScript.Statement statement : SqlScript.parse(script)) {
      SqlAnswer answer = execute(statement);
      if (answer != null) {
        answers.add(answer);
      }
    }
    return answers;
  }

  /**
   * Runs one statement; returns its rows, or null for a statement that returns none (DDL).
   *
   * @throws SqlException when Flink refuses or fails it
   */
  public SqlAnswer execute(SqlScript.Statement statement) {
    try {
      TableResult result = tables.executeSql(statement.sql());
      if (result.getResultKind() != ResultKind.SUCCESS_WITH_CONTENT) {
        result.await();
        return null;
      }
      List<String> columns = result.getResolvedSchema().getColumnNames();
      List<List<Object>> rows = new ArrayList<>();
      try (CloseableIterator<Row> it = result.collect()) {
        while (it.hasNext()) {
          Row row = it.next();
          if (row.getKind() != RowKind.INSERT) {
            throw new SqlException(
                "the query updates its answers (streaming mode): use a window aggregation");
          }
          List<Object> values = new ArrayList<>(row.getArity());
          for (int i = 0; i < row.getArity(); i++) {
            values.add(row.getField(i));
          }
          rows.add(values);
        }
      }
      return new SqlAnswer(statement.name(), columns, rows);
    } catch (SqlException e) {
      throw e;
    } catch (Exception e) {
      String what = statement.name().isEmpty() ? "" : statement.name() + ": ";
      throw new SqlException(what + oneLine(e), e);
    }
  }

  /**
   * The distinct first lines of an exception's causes, outermost first (Flink wraps a validation
   * error in "SQL validation failed" and the job's failure in layers of its own), at most three.
   */
  static String oneLine(Throwable e) {
    Set<String> lines = new LinkedHashSet<>();
    for (Throwable t = e; t != null && lines.size() < 3; t = t.getCause()) {
      String message = t.getMessage();
      if (message == null || message.isBlank()) {
        continue;
      }
      String first = message.strip().lines().findFirst().orElse("").strip();
      if (lines.stream().noneMatch(l -> l.contains(first))) {
        lines.add(first);
      }
    }
    return lines.isEmpty() ? e.getClass().getSimpleName() : String.join(": ", lines);
  }
}
