package io.surge.cli.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surge.cli.CliRun;
import io.surge.cli.load.LoadCounts;
import io.surge.cli.results.ResultsReader;
import io.surge.jobs.scheduler.EndToEnd;
import io.surge.jobs.scheduler.Jobs;
import io.surge.jobs.scheduler.KafkaSchedulerJobIo;
import io.surge.jobs.scheduler.SchedulerJob;
import io.surge.schema.InferenceResult;
import io.surge.schema.wire.AvroWire;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analysts' SQL (deploy/sql/results.sql and queries.sql) on a results topic the real job wrote:
 * the scheduling job runs on a KRaft broker with two inference servers, then every shipped query
 * runs with Flink's Table API (read_committed) and its answer is checked against the same figures
 * computed from the records themselves. Then {@code surge sql} on the same topic, and its one-line
 * errors.
 */
class SqlQueriesITCase {

  private static final double EPS = 1e-9;

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @Test
  void shippedQueriesAgreeWithTheRecords(@TempDir Path dir, @InjectMiniCluster MiniCluster flink)
      throws Exception {
    try (EndToEnd parts = new EndToEnd(dir, "sql.")) {
      List<InferenceResult> records = runJob(parts, flink);

      ResultsSql sql =
          ResultsSql.connect(
              parts.kafka.bootstrapServers(), parts.topics.prefix(), new Properties());
      Map<String, SqlAnswer> answers =
          sql.run(ResultsSql.resource(ResultsSql.QUERIES_RESOURCE)).stream()
              .collect(Collectors.toMap(SqlAnswer::name, Function.identity()));
      assertThat(answers)
          .containsOnlyKeys(
              "accuracy-per-policy-per-minute",
              "latency-per-variant",
              "outcomes-per-service",
              "variant-mix-vs-arrival-rate");

      checkAccuracyPerMinute(answers.get("accuracy-per-policy-per-minute"), records);
      checkLatencyPerVariant(answers.get("latency-per-variant"), records);
      checkOutcomesPerService(answers.get("outcomes-per-service"), records);
      checkVariantMix(answers.get("variant-mix-vs-arrival-rate"), records);
      answers
          .values()
          .forEach(a -> System.out.println("-- " + a.name() + "\n" + TextTable.format(a)));

      // the same windows in streaming mode: they close on the DDL's watermark (at the end of the
      // bounded read), as in a continuous query of Flink's SQL client
      ResultsSql streaming =
          ResultsSql.connect(
              parts.kafka.bootstrapServers(), parts.topics.prefix(), new Properties(), true);
      SqlScript.Statement perMinute =
          SqlScript.parse(ResultsSql.resource(ResultsSql.QUERIES_RESOURCE)).get(0);
      checkAccuracyPerMinute(streaming.execute(perMinute), records);

      checkCommandLine(parts, records.size());
    }
  }

  /** Runs the job until every request has its result; returns the results, read committed. */
  private static List<InferenceResult> runJob(EndToEnd parts, MiniCluster flink) throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            SchedulerJob.jobConfiguration(parts.config("sql")));
    env.setParallelism(2);
    SchedulerJob.defineWorkflow(
        env, new KafkaSchedulerJobIo(parts.config("sql")), parts.settings());
    JobClient job = env.executeAsync("surge-sql");
    Map<String, InferenceResult> results = new ConcurrentHashMap<>();
    AvroWire<InferenceResult> wire = AvroWire.of(InferenceResult.class);
    try (ResultsReader reader =
        new ResultsReader(
            parts.kafka.bootstrapServers(),
            List.of(parts.topics.results()),
            "sql-check",
            (batch, at) -> {
              for (ConsumerRecord<byte[], byte[]> record : batch) {
                InferenceResult r = decode(wire, record);
                results.put(r.getRequestId(), r);
              }
            })) {
      Jobs.awaitAllTasksRunning(flink, job.getJobID(), Duration.ofSeconds(60));
      // about 8 s of load: more than the tiny servers carry (some are shed), across 10 s windows
      LoadCounts sent = parts.send(100, 11, 800, 0.0);
      assertThat(sent.failed()).isZero();
      assertThat(reader.await(() -> results.size() >= sent.valid(), Duration.ofSeconds(120)))
          .as("results %s of %s", results.size(), sent.valid())
          .isTrue();
    } finally {
      job.cancel().get();
    }
    return new ArrayList<>(results.values());
  }

  private static InferenceResult decode(
      AvroWire<InferenceResult> wire, ConsumerRecord<byte[], byte[]> record) {
    try {
      return ResultsReader.decode(wire, record);
    } catch (AvroWire.InvalidRecordException e) {
      throw new AssertionError(e);
    }
  }

  private static void checkAccuracyPerMinute(SqlAnswer answer, List<InferenceResult> records) {
    Map<List<Object>, List<InferenceResult>> groups =
        records.stream()
            .collect(
                Collectors.groupingBy(
                    r -> List.of(window(r, 60_000), r.getService(), r.getPolicyVersion())));
    assertThat(answer.rows()).hasSize(groups.size());
    for (List<Object> row : answer.rows()) {
      List<InferenceResult> group =
          groups.get(
              List.of(
                  row.get(answer.column("window_start")),
                  row.get(answer.column("service")),
                  row.get(answer.column("policy_version"))));
      assertThat(group).as("group of %s", row).isNotNull();
      assertThat(row.get(answer.column("requests"))).isEqualTo((long) group.size());
      assertThat(number(row, answer, "effective_accuracy"))
          .isCloseTo(mean(group, r -> r.getReward()), within(EPS));
      assertThat(number(row, answer, "slo_attainment")).isCloseTo(share(group, "OK"), within(EPS));
    }
  }

  private static void checkLatencyPerVariant(SqlAnswer answer, List<InferenceResult> records) {
    Map<List<Object>, List<InferenceResult>> groups =
        records.stream()
            .filter(r -> r.getVariant() != null)
            .collect(Collectors.groupingBy(r -> List.of(r.getService(), r.getVariant())));
    assertThat(answer.rows()).hasSize(groups.size());
    for (List<Object> row : answer.rows()) {
      List<InferenceResult> group =
          groups.get(List.of(row.get(answer.column("service")), row.get(answer.column("variant"))));
      assertThat(group).as("group of %s", row).isNotNull();
      double[] latencies =
          group.stream().mapToDouble(InferenceResult::getLatencyMs).sorted().toArray();
      assertThat(row.get(answer.column("served"))).isEqualTo((long) group.size());
      assertThat(number(row, answer, "p50_ms")).isCloseTo(percentile(latencies, 0.5), within(1e-6));
      assertThat(number(row, answer, "p99_ms"))
          .isCloseTo(percentile(latencies, 0.99), within(1e-6));
    }
  }

  private static void checkOutcomesPerService(SqlAnswer answer, List<InferenceResult> records) {
    Map<String, List<InferenceResult>> groups =
        records.stream().collect(Collectors.groupingBy(InferenceResult::getService));
    assertThat(answer.rows()).hasSize(groups.size());
    for (List<Object> row : answer.rows()) {
      List<InferenceResult> group = groups.get((String) row.get(answer.column("service")));
      assertThat(row.get(answer.column("requests"))).isEqualTo((long) group.size());
      assertThat(number(row, answer, "shed_rate")).isCloseTo(share(group, "SHED"), within(EPS));
      assertThat(number(row, answer, "late_rate")).isCloseTo(share(group, "LATE"), within(EPS));
      assertThat(number(row, answer, "failed_rate")).isCloseTo(share(group, "FAILED"), within(EPS));
    }
  }

  private static void checkVariantMix(SqlAnswer answer, List<InferenceResult> records) {
    Map<List<Object>, Long> arrivals =
        records.stream()
            .collect(
                Collectors.groupingBy(
                    r -> List.of(window(r, 10_000), r.getService()), Collectors.counting()));
    Map<List<Object>, Long> mix =
        records.stream()
            .collect(
                Collectors.groupingBy(
                    r ->
                        List.of(
                            window(r, 10_000),
                            r.getService(),
                            r.getVariant() == null ? "(shed)" : r.getVariant()),
                    Collectors.counting()));
    assertThat(answer.rows()).hasSize(mix.size());
    for (List<Object> row : answer.rows()) {
      Object window = row.get(answer.column("window_start"));
      Object service = row.get(answer.column("service"));
      Long requests = mix.get(List.of(window, service, row.get(answer.column("variant"))));
      long total = arrivals.get(List.of(window, service));
      assertThat(row.get(answer.column("requests"))).as("%s", row).isEqualTo(requests);
      assertThat(number(row, answer, "arrivals_per_s")).isCloseTo(total / 10.0, within(EPS));
      assertThat(number(row, answer, "share")).isCloseTo((double) requests / total, within(EPS));
    }
  }

  /** surge sql on the same topic: a table out; a bad query and an unknown topic: one line each. */
  private static void checkCommandLine(EndToEnd parts, int results) {
    String bootstrap = parts.kafka.bootstrapServers();
    CliRun ok = new CliRun();
    assertThat(
            ok.run(
                "sql",
                "--bootstrap",
                bootstrap,
                "--topic-prefix",
                parts.topics.prefix(),
                "-e",
                "SELECT COUNT(*) AS n FROM results"))
        .as(ok.err.toString())
        .isZero();
    assertThat(ok.out.toString()).contains("n", Long.toString(results), "1 row");

    CliRun badQuery = new CliRun();
    assertThat(
            badQuery.run(
                "sql",
                "--bootstrap",
                bootstrap,
                "--topic-prefix",
                parts.topics.prefix(),
                "-e",
                "SELECT no_such_column FROM results"))
        .isEqualTo(1);
    System.out.println("bad query: " + badQuery.err.toString().strip());
    assertThat(badQuery.err.toString().strip())
        .startsWith("surge sql: error:")
        .contains("no_such_column")
        .doesNotContain("\n");

    CliRun unknownTopic = new CliRun();
    assertThat(
            unknownTopic.run(
                "sql",
                "--bootstrap",
                bootstrap,
                "--topic-prefix",
                "nowhere.",
                "-e",
                "SELECT COUNT(*) FROM results"))
        .isEqualTo(1);
    assertThat(unknownTopic.err.toString().strip())
        .isEqualTo(
            "surge sql: error: no topic 'nowhere.results' on "
                + bootstrap
                + " (the job's results topic; --topic-prefix?)");
  }

  /** The start of the tumbling window of a result's created_at, as Flink SQL returns it (UTC). */
  private static LocalDateTime window(InferenceResult r, long sizeMillis) {
    long millis = r.getCreatedAt().toEpochMilli();
    return LocalDateTime.ofEpochSecond(
        Math.floorDiv(millis, sizeMillis) * sizeMillis / 1000, 0, ZoneOffset.UTC);
  }

  private static double number(List<Object> row, SqlAnswer answer, String column) {
    return ((Number) row.get(answer.column(column))).doubleValue();
  }

  private static double mean(
      List<InferenceResult> group, java.util.function.ToDoubleFunction<InferenceResult> f) {
    return group.stream().mapToDouble(f).average().orElseThrow();
  }

  private static double share(List<InferenceResult> group, String status) {
    return mean(group, r -> status.equals(r.getStatus()) ? 1.0 : 0.0);
  }

  /** PERCENTILE's definition: linear interpolation at rank (n - 1) p of the sorted values. */
  private static double percentile(double[] sorted, double p) {
    double rank = (sorted.length - 1) * p;
    int lower = (int) Math.floor(rank);
    int upper = (int) Math.ceil(rank);
    return sorted[lower] + (rank - lower) * (sorted[upper] - sorted[lower]);
  }
}
