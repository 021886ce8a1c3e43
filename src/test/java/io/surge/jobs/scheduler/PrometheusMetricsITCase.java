package io.surge.jobs.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surge.cli.load.LoadCounts;
import io.surge.cli.results.ResultsCollector;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's metrics through Flink's Prometheus reporter, configured as on a cluster ({@code
 * metrics.reporter.prom.*}): a MiniCluster serves them on a free port while the job runs on real
 * parts; the scrape must name every metric operators watch, and the Grafana dashboard in
 * deploy/grafana/ may only query metrics the scrape showed.
 */
public class PrometheusMetricsITCase {

  private static final int PORT = freePort();

  /** What operators watch (README, Metrics), as the reporter names them. */
  public static final List<String> EXPECTED =
      List.of(
          "flink_taskmanager_job_task_operator_variant_decisions",
          "flink_taskmanager_job_task_operator_status_results",
          "flink_taskmanager_job_task_operator_shedPerSecond",
          "flink_taskmanager_job_task_operator_decisionLatencyMs",
          "flink_taskmanager_job_task_operator_latencyMs",
          "flink_taskmanager_job_task_operator_policyVersion",
          "flink_taskmanager_job_task_operator_server_breakerState",
          "flink_taskmanager_job_task_operator_server_healthy",
          "flink_taskmanager_job_task_operator_policiesRejected");

  private static final Pattern METRIC = Pattern.compile("flink_[A-Za-z0-9_]+");

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .setConfiguration(reporter())
              .build());

  private static Configuration reporter() {
    Configuration config = new Configuration();
    config.setString(
        "metrics.reporter.prom.factory.class",
        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    config.setString("metrics.reporter.prom.port", Integer.toString(PORT));
    return config;
  }

  @Test
  void theScrapeNamesEveryWatchedMetricAndTheDashboardOnlyThose(
      @TempDir Path dir, @InjectMiniCluster MiniCluster flink) throws Exception {
    Set<String> scraped;
    try (EndToEnd parts = new EndToEnd(dir, "prom.")) {
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(
              SchedulerJob.jobConfiguration(parts.config("prom")));
      env.setParallelism(1);
      SchedulerJob.defineWorkflow(
          env, new KafkaSchedulerJobIo(parts.config("prom")), parts.settings());
      JobClient job = env.executeAsync("surge-prom");
      try (ResultsCollector out = parts.collector()) {
        Jobs.awaitAllTasksRunning(flink, job.getJobID(), Duration.ofSeconds(60));
        LoadCounts sent = parts.send(100, 3, 200, 0.0);
        assertThat(out.awaitCounts(sent.valid(), 0, Duration.ofSeconds(120))).isTrue();
        scraped = awaitScrape(Duration.ofSeconds(30));
      } finally {
        job.cancel().get();
      }
    }
    assertThat(scraped).containsAll(EXPECTED);

    Set<String> queried = dashboardMetrics(Path.of("deploy/grafana/surge.json"));
    assertThat(queried).isNotEmpty();
    assertThat(scraped).as("metrics the dashboard queries").containsAll(queried);
  }

  /** Scrapes until every expected metric shows (counters show once their group exists). */
  private static Set<String> awaitScrape(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> names = Set.of();
    while (System.nanoTime() < deadline) {
      String body =
          http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      names = names(body);
      if (names.containsAll(EXPECTED)) {
        return names;
      }
      Thread.sleep(500);
    }
    System.out.println("scraped metric names: " + names);
    return names;
  }

  /**
   * The metric names of a Prometheus text exposition (a summary's quantile lines name its base).
   */
  static Set<String> names(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = line.indexOf('{');
      if (end < 0) {
        end = line.indexOf(' ');
      }
      names.add(line.substring(0, end));
    }
    return names;
  }

  /** Every metric name in the dashboard's query expressions. */
  static Set<String> dashboardMetrics(Path dashboard) throws IOException {
    JsonNode root = new ObjectMapper().readTree(dashboard.toFile());
    List<String> expressions = new ArrayList<>();
    root.findValues("expr").forEach(e -> expressions.add(e.asText()));
    Set<String> names = new TreeSet<>();
    for (String expr : expressions) {
      Matcher m = METRIC.matcher(expr);
      while (m.find()) {
        names.add(m.group());
      }
    }
    return names;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
