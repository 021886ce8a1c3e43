package io.surge.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.cli.cluster.Await;
import io.surge.cli.cluster.LocalFlinkCluster;
import io.surge.cli.cluster.SurgeHome;
import io.surge.cli.kafka.EmbeddedKafka;
import io.surge.cli.results.ResultsCollector;
import io.surge.jobs.kafka.Topics;
import io.surge.jobs.scheduler.PrometheusMetricsITCase;
import io.surge.state.catalog.Catalog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's section <em>On a real cluster</em>, run as written on a real multi-process cluster:
 * a KRaft broker from the Kafka jars, a JobManager and a TaskManager as processes from Flink's jars
 * with the section's Prometheus settings ({@code metrics.reporter.prom.*}) in their {@code
 * config.yaml}, and a {@code flink} command on the {@code PATH} (what a distribution's {@code
 * bin/flink} is). Each command of the section's bash block runs with {@code bash -c} in a directory
 * that looks like a checkout ({@code surge}, {@code target}, {@code deploy}), with only these
 * substitutions, which stand for the reader's own hosts:
 *
 * <ul>
 *   <li>the broker address ({@code kafka:9092}) becomes the test broker's;
 *   <li>each edge server's {@code http://HOST:PORT} becomes {@code http://127.0.0.1:<free port>},
 *       and the {@code surge serve} line ("on each edge server") runs once per server, in the
 *       background, on that server's port;
 *   <li>the Prometheus port becomes a small range of free ports (JobManager and TaskManager share
 *       this host);
 *   <li>{@code surge load --duration 60s} sends for {@value #LOAD_DURATION} instead, to spare the
 *       shared machine.
 * </ul>
 *
 * The {@code mvn ... package} line is not run again: the build running this test made the jar. Then
 * every valid request the load sent has exactly one read_committed result, the TaskManager's scrape
 * endpoint serves the metrics the README lists, and their result counters add up to the results.
 * Everything started is stopped, also on failure.
 */
class ReadmeClusterRecipeITCase {

  private static final String SECTION = "## On a real cluster";
  private static final String METRICS_SECTION = "### Metrics (Prometheus, Grafana)";
  private static final String LOAD_DURATION = "20s";
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration SERVER_READY = Duration.ofSeconds(90);
  private static final Duration RESULTS = Duration.ofSeconds(120);
  private static final Pattern EDGE_SERVER =
      Pattern.compile("--server ([\\w-]+)=http://([\\w.-]+:\\d+)");
  private static final Pattern BOOTSTRAP = Pattern.compile("--bootstrap (\\S+)");
  private static final Pattern SERVE_PORT = Pattern.compile("--port \\d+");
  private static final Pattern SENT =
      Pattern.compile("sent (\\d+) valid \\+ (\\d+) invalid requests");
  private static final Pattern STATUS_COUNTER =
      Pattern.compile(
          "(?m)^flink_taskmanager_job_task_operator_status_results\\{[^}]*\\} ([0-9.eE+-]+)$");

  private final List<Process> servers = new ArrayList<>();

  @Test
  void theClusterSectionWorksAsWritten(@TempDir Path dir) throws Exception {
    Path readme = SurgeHome.root().resolve("README.md");
    List<String> commands = ReadmeSection.of(readme, SECTION).bashCommands();
    Map<String, String> prometheus = ReadmeSection.of(readme, METRICS_SECTION).yamlSettings();
    assertThat(prometheus).containsKey("metrics.reporter.prom.port");
    int promPort = freePort();
    String promPorts = promPort + "-" + (promPort + 4);
    prometheus.put("metrics.reporter.prom.port", promPorts);

    Path checkout = checkout(dir.resolve("checkout"));
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        LocalFlinkCluster flink = LocalFlinkCluster.start(dir.resolve("flink"), prometheus)) {
      try {
        Path bin = flink.writeFlinkCommand(dir.resolve("bin"));
        Map<String, String> hosts = substitutions(commands, kafka.bootstrapServers());
        Map<String, String> outputs = new LinkedHashMap<>();
        for (String command : commands) {
          runAsWritten(command, hosts, checkout, bin, outputs);
        }
        checkResults(kafka, checkout, outputs);
        checkMetrics(promPort, outputs);
      } catch (Throwable t) {
        System.err.println(flink.logTails());
        throw t;
      } finally {
        stopServers();
      }
    }
  }

  /** One command of the block; {@code surge serve} once per edge server, in the background. */
  private void runAsWritten(
      String written,
      Map<String, String> hosts,
      Path checkout,
      Path bin,
      Map<String, String> outputs)
      throws Exception {
    if (written.startsWith("#")) {
      return;
    }
    if (written.startsWith("mvn ")) {
      log("skipped (this build made the jar): %s", written);
      return;
    }
    String command = substitute(written, hosts);
    if (command.startsWith("./surge serve ")) {
      for (String hostPort : edgeServers(hosts)) {
        int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
        startServer(
            SERVE_PORT.matcher(command).replaceFirst("--port " + port), port, checkout, bin);
      }
      return;
    }
    long start = System.nanoTime();
    Path out = checkout.resolve("command-" + outputs.size() + ".out");
    Process p = bash(command, checkout, bin, out);
    if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      kill(p);
      throw new AssertionError(
          "README command did not return within "
              + COMMAND_TIMEOUT.toMinutes()
              + " min: "
              + written
              + "\n"
              + Files.readString(out));
    }
    String output = Files.readString(out);
    log(
        "%.1f s, exit %d: %s%n%s",
        (System.nanoTime() - start) / 1e9, p.exitValue(), command, output);
    assertThat(p.exitValue())
        .as("exit status of the README command %s%n%s", written, output)
        .isZero();
    outputs.put(written, output);
  }

  private void checkResults(EmbeddedKafka kafka, Path checkout, Map<String, String> outputs)
      throws Exception {
    String load = outputOf(outputs, "./surge load ");
    Matcher sent = SENT.matcher(load);
    assertThat(sent.find()).as("surge load's summary line in%n%s", load).isTrue();
    long valid = Long.parseLong(sent.group(1));
    long invalid = Long.parseLong(sent.group(2));
    assertThat(valid).as("valid requests sent").isPositive();
    Catalog catalog = Catalog.load(checkout.resolve("models").resolve("catalog.yaml"));
    // deploy/config/scheduler.yaml: no topic prefix, as `surge topics create` made them
    Topics topics = Topics.withPrefix("");
    try (ResultsCollector out =
        new ResultsCollector(
            kafka.bootstrapServers(),
            topics.results(),
            topics.deadLetters(),
            catalog.services().get(0))) {
      assertThat(out.awaitCounts(valid, invalid, RESULTS))
          .as(
              "results %d of %d, dead letters %d of %d",
              out.results(), valid, out.deadLetters(), invalid)
          .isTrue();
      assertThat(out.results()).as("results (distinct request ids)").isEqualTo(valid);
      assertThat(out.duplicates()).as("request ids with more than one result").isZero();
      assertThat(out.deadLetters()).as("dead letters").isEqualTo(invalid);
      assertThat(out.resultsOfPolicy(0))
          .as("results decided by the fallback heuristic instead of `learned`")
          .isZero();
      log(
          "results: %d (OK %d, LATE %d, FAILED %d, SHED %d), dead letters %d; last error: %s",
          out.results(),
          out.results("OK"),
          out.results("LATE"),
          out.results("FAILED"),
          out.results("SHED"),
          out.deadLetters(),
          out.lastError());
    }
    String sql = outputOf(outputs, "./surge sql ");
    // the outcomes query counts every result of the service once
    assertThat(sql)
        .as("surge sql --queries")
        .contains("-- outcomes-per-service")
        .containsPattern(
            "(?m)^" + Pattern.quote(catalog.services().get(0).name()) + " +" + valid + " ");
  }

  /** The TaskManager's scrape endpoint: every metric the README lists, results counted once. */
  private static void checkMetrics(int firstPort, Map<String, String> outputs) throws Exception {
    String load = outputOf(outputs, "./surge load ");
    Matcher sent = SENT.matcher(load);
    assertThat(sent.find()).isTrue();
    long valid = Long.parseLong(sent.group(1));
    String scrape =
        Await.until(
            "a TaskManager scrape endpoint with the job's operator metrics",
            Duration.ofSeconds(30),
            () -> taskManagerScrape(firstPort));
    for (String metric : PrometheusMetricsITCase.EXPECTED) {
      assertThat(scrape).as("metric %s on the TaskManager's endpoint", metric).contains(metric);
    }
    double results = 0;
    Matcher counter = STATUS_COUNTER.matcher(scrape);
    while (counter.find()) {
      results += Double.parseDouble(counter.group(1));
    }
    assertThat(results).as("status_results counters, summed").isEqualTo((double) valid);
  }

  private static Optional<String> taskManagerScrape(int firstPort) {
    HttpClient http = HttpClient.newHttpClient();
    for (int port = firstPort; port <= firstPort + 4; port++) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200
            && r.body().contains("flink_taskmanager_job_task_operator_status_results")) {
          return Optional.of(r.body());
        }
      } catch (IOException e) {
        // not this port (nothing listens, or the JobManager's)
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** What the reader's hosts become here: the broker, and a free local port per edge server. */
  private static Map<String, String> substitutions(List<String> commands, String bootstrap) {
    Map<String, String> hosts = new LinkedHashMap<>();
    for (String command : commands) {
      Matcher b = BOOTSTRAP.matcher(command);
      if (b.find()) {
        hosts.putIfAbsent(b.group(1), bootstrap);
      }
      Matcher s = EDGE_SERVER.matcher(command);
      while (s.find()) {
        hosts.putIfAbsent("http://" + s.group(2), "http://127.0.0.1:" + freePort());
      }
    }
    assertThat(hosts.values())
        .as("broker and edge servers named in the recipe")
        .hasSizeGreaterThanOrEqualTo(2);
    return hosts;
  }

  private static String substitute(String command, Map<String, String> hosts) {
    String out = command.replace("--duration 60s", "--duration " + LOAD_DURATION);
    for (Map.Entry<String, String> h : hosts.entrySet()) {
      out = out.replace(h.getKey(), h.getValue());
    }
    return out;
  }

  private static List<String> edgeServers(Map<String, String> hosts) {
    return hosts.values().stream()
        .filter(v -> v.startsWith("http://"))
        .map(v -> v.substring("http://".length()))
        .toList();
  }

  private void startServer(String command, int port, Path checkout, Path bin) throws Exception {
    Process p = bash(command, checkout, bin, checkout.resolve("serve-" + port + ".out"));
    servers.add(p);
    HttpClient http = HttpClient.newHttpClient();
    URI ready = URI.create("http://127.0.0.1:" + port + "/v2/health/ready");
    Await.until(
        "surge serve on port " + port,
        SERVER_READY,
        () -> {
          if (!p.isAlive()) {
            throw new AssertionError("surge serve exited: " + command);
          }
          try {
            return http.send(
                        HttpRequest.newBuilder(ready).build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode()
                == 200;
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
    log("serving: %s", command);
  }

  private void stopServers() {
    servers.forEach(ReadmeClusterRecipeITCase::kill);
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Process bash(String command, Path checkout, Path bin, Path out)
      throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-c", command)
            .directory(checkout.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    // the launcher must not rebuild inside this build: the checkout's target/ is this build's
    builder.environment().remove("CLASSPATH");
    return builder.start();
  }

  /**
   * A directory that looks like a checkout to the commands (the launcher, the built jars, deploy/),
   * so that the files they write (models/, profile.json) stay out of the real one.
   */
  private static Path checkout(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path root = SurgeHome.root();
    for (String name : List.of("surge", "target", "deploy")) {
      Files.createSymbolicLink(dir.resolve(name), root.resolve(name));
    }
    return dir;
  }

  private static String outputOf(Map<String, String> outputs, String prefix) {
    return outputs.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseThrow(() -> new AssertionError("the recipe has no `" + prefix + "` command"));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }

  private static void log(String format, Object... args) {
    System.out.printf("[readme-cluster] " + format + "%n", args);
  }
}
