package io.surge.cli.demo;

import io.surge.cli.kafka.EmbeddedKafka;
import io.surge.jobs.config.SurgeOptions;
import io.surge.jobs.scheduler.SchedulerSettings;
import io.surge.serving.ladder.LadderOptions;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.commons.io.FileUtils;
import org.apache.flink.configuration.Configuration;

/**
 * {@code surge demo}: everything embedded on this machine. Generates the model ladder and starts
 * the inference servers on it, profiles them over the protocol, picks a bursty workload from the
 * profile, starts a KRaft broker, then runs the scheduling job once per policy on the same load and
 * prints and writes how each did.
 *
 * <pre>{@code
 * try (Demo demo = new Demo(DemoSettings.defaults(), System.out::println)) {
 *   DemoResult result = demo.run();
 * }
 * }</pre>
 *
 * {@link #abort()} (from a shutdown hook) stops the load and the job; {@link #close()} stops the
 * rest.
 */
public final class Demo implements AutoCloseable {

  private static final int INVOKER_CAPACITY = 512;
  private static final String NODELAY = "sun.net.httpserver.nodelay";

  private final DemoSettings settings;
  private final Consumer<String> log;
  private Path repository;
  private EdgeServers servers;
  private EmbeddedKafka kafka;
  private volatile PolicyRun current;
  private final java.util.Map<String, String> topicPrefixes = new java.util.LinkedHashMap<>();
  private volatile boolean aborted;

  public Demo(DemoSettings settings, Consumer<String> log) {
    this.settings = settings;
    this.log = log;
  }

  /** Runs every step; the report and plots are in {@link DemoSettings#out()} afterwards. */
  public DemoResult run() throws Exception {
    WorkloadSpec given =
        settings.workload() == null ? null : WorkloadSpec.parse(settings.workload(), Path.of(""));
    createOut();
    Catalog catalog = startServers();
    LatencyProfile profile = profile(catalog);
    Catalog.Service service = catalog.services().get(0);
    WorkloadSpec workload = given;
    String note = "given with --workload";
    if (given == null) {
      // Kafka, Flink and the load generator need about half of the machine's cores
      int parallel =
          Math.max(1, Math.min(settings.servers(), Runtime.getRuntime().availableProcessors() / 2));
      WorkloadCalibration.Calibrated c =
          WorkloadCalibration.calibrate(
              profile, service, catalog.servers().get(0).name(), parallel);
      workload = c.spec();
      note = "calibrated from the profile: " + c.explain();
    }
    log.accept(
        String.format(
            Locale.ROOT,
            "workload: %s (mean %.1f req/s; %s)",
            workload.toSpec(),
            workload.meanRate(),
            note));
    startKafka();
    List<PolicyResult> results = new ArrayList<>();
    SchedulerSettings scheduler = schedulerSettings(catalog, profile);
    for (int i = 0; i < settings.policies().size(); i++) {
      results.add(runPolicy(i, scheduler, workload));
    }
    DemoResult result = new DemoResult(settings, catalog, profile, workload, note, results, null);
    log.accept("");
    log.accept(
        "summary ("
            + settings.duration().toSeconds()
            + " s per policy, deadline "
            + settings.deadlineMs()
            + " ms, "
            + workload.toSpec()
            + "):");
    log.accept(SummaryTable.text(results));
    for (PolicyResult r : results) {
      log.accept(
          String.format(
              Locale.ROOT,
              "  %s: creation to decision (Kafka + Flink) p50 %.0f ms, p99 %.0f ms",
              r.policy(),
              r.decisionDelay().percentile(0.5),
              r.decisionDelay().percentile(0.99)));
    }
    List<String> plots = DemoCharts.write(settings.out(), results);
    Path report = DemoReport.write(result, plots);
    log.accept("report: " + report + " (plots: " + String.join(", ", plots) + ")");
    return result.withReport(report);
  }

  private void createOut() {
    try {
      Files.createDirectories(settings.out());
      repository = Files.createTempDirectory("surge-demo-models-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + settings.out() + ": " + e.getMessage(), e);
    }
  }

  private Catalog startServers() {
    long start = System.nanoTime();
    log.accept(
        String.format(
            Locale.ROOT,
            "[1/4] generating the model ladder (scale %s) and starting %d inference servers",
            settings.scale(),
            settings.servers()));
    // the JDK HTTP server reads this once, at its first start: without it answers wait for Nagle
    if (System.getProperty(NODELAY) == null) {
      System.setProperty(NODELAY, "true");
    }
    LadderOptions ladder =
        LadderOptions.defaults().withScale(settings.scale()).withDeadlineMs(settings.deadlineMs());
    servers = EdgeServers.start(repository, ladder, settings.servers());
    Catalog catalog = servers.catalog();
    catalog.write(settings.out().resolve("catalog.yaml"));
    for (Catalog.Server s : catalog.servers()) {
      log.accept("      " + s.name() + " at " + s.url());
    }
    log.accept(String.format(Locale.ROOT, "      ready in %.1f s", seconds(start)));
    return catalog;
  }

  private LatencyProfile profile(Catalog catalog) {
    long start = System.nanoTime();
    log.accept(
        "[2/4] profiling the variants over KServe v2 (batches "
            + ServerProfiling.BATCHES
            + ", "
            + settings.profileRuns()
            + " rounds)");
    LatencyProfile profile = ServerProfiling.profile(catalog, settings.profileRuns());
    profile.write(settings.out().resolve("profile.json"));
    String server = catalog.servers().get(0).name();
    for (Catalog.Variant v : catalog.services().get(0).variants()) {
      log.accept(
          String.format(
              Locale.ROOT,
              "      %-16s %6.2f %%  batch 1 %6.1f ms  batch 16 %6.1f ms",
              v.name(),
              v.accuracy(),
              profile.medianMs(server, v.model(), 1),
              profile.medianMs(server, v.model(), 16)));
    }
    log.accept(String.format(Locale.ROOT, "      done in %.1f s", seconds(start)));
    return profile;
  }

  private void startKafka() {
    long start = System.nanoTime();
    log.accept("[3/4] starting the embedded Kafka broker (KRaft)");
    kafka = EmbeddedKafka.start();
    log.accept(
        String.format(
            Locale.ROOT, "      %s ready in %.1f s", kafka.bootstrapServers(), seconds(start)));
  }

  private PolicyResult runPolicy(int index, SchedulerSettings scheduler, WorkloadSpec workload)
      throws Exception {
    if (aborted) {
      throw new DemoException("stopped by a signal (Ctrl-C or SIGTERM)");
    }
    String policy = settings.policies().get(index);
    log.accept(
        String.format(
            Locale.ROOT,
            "[4/4] policy %d of %d: %s",
            index + 1,
            settings.policies().size(),
            policy));
    PolicyRun run =
        new PolicyRun(
            policy,
            index,
            kafka.bootstrapServers(),
            kafka.adminProperties(),
            scheduler,
            settings,
            workload,
            log);
    current = run;
    topicPrefixes.put(policy, run.topicPrefix());
    try (run) {
      PolicyResult result = run.run();
      if (!result.drained()) {
        log.accept(
            String.format(
                Locale.ROOT,
                "  [%s] warning: %d of %d results arrived within the drain timeout",
                policy,
                result.results(),
                result.expectedResults()));
      }
      return result;
    } finally {
      current = null;
    }
  }

  private SchedulerSettings schedulerSettings(Catalog catalog, LatencyProfile profile) {
    Configuration config = new Configuration();
    config.set(SurgeOptions.INITIAL_POLICY, settings.policies().get(0));
    config.set(SurgeOptions.INVOKER_CAPACITY, INVOKER_CAPACITY);
    return SchedulerSettings.of(catalog, profile, config);
  }

  /** The broker's bootstrap servers (null before it started). */
  public String bootstrapServers() {
    return kafka == null ? null : kafka.bootstrapServers();
  }

  /** Per policy run, the prefix of its topics: its results are on PREFIX + results. */
  public java.util.Map<String, String> topicPrefixes() {
    return java.util.Map.copyOf(topicPrefixes);
  }

  /** Stops the running policy's load and job; safe from any thread (a shutdown hook). */
  public void abort() {
    aborted = true;
    PolicyRun run = current;
    if (run != null) {
      run.abort();
    }
  }

  @Override
  public void close() {
    PolicyRun run = current;
    if (run != null) {
      run.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (servers != null) {
      servers.close();
    }
    deleteRecursively(repository);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static void deleteRecursively(Path dir) {
    if (dir != null) {
      // a temporary directory: if this fails, the OS cleans it up eventually
      FileUtils.deleteQuietly(dir.toFile());
    }
  }
}
