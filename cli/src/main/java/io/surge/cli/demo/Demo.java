package io.surge.cli.demo;

import io.surge.cli.devices.Devices;
import io.surge.cli.devices.FaultSwitch;
import io.surge.cli.kafka.EmbeddedKafka;
import io.surge.jobs.config.SurgeOptions;
import io.surge.jobs.kafka.Topics;
import io.surge.jobs.scheduler.SchedulerSettings;
import io.surge.policy.baseline.FixedVariantPolicy;
import io.surge.serving.engine.ModelStatistics;
import io.surge.serving.ladder.GeneratedLadder;
import io.surge.serving.ladder.LadderOptions;
import io.surge.serving.profile.Profiler;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.engine.Calibration;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
  private final DriftOptions drift;
  private FaultSwitch driftSwitch;
  private final Consumer<String> log;
  private Path repository;
  private EdgeServers servers;
  private EmbeddedKafka kafka;
  private volatile PolicyRun current;
  private final java.util.Map<String, String> topicPrefixes = new java.util.LinkedHashMap<>();

  /** Per policy, what the servers executed during its measured loads, over all runs. */
  private final Map<String, ServerWork> realWork = new LinkedHashMap<>();

  private volatile boolean aborted;

  public Demo(DemoSettings settings, Consumer<String> log) {
    this(settings, null, log);
  }

  /**
   * @param drift null: the usual comparison of policies; else the drift scenario, which runs the
   *     shipped policy alone with the online learner beside the job (emulated devices only)
   */
  public Demo(DemoSettings settings, DriftOptions drift, Consumer<String> log) {
    if (drift != null && !settings.emulated()) {
      throw new IllegalArgumentException("--drift needs emulated devices (--device emulated)");
    }
    this.settings = settings;
    this.drift = drift;
    this.log = log;
  }

  /** Runs every step; the report and plots are in {@link DemoSettings#out()} afterwards. */
  public DemoResult run() throws Exception {
    WorkloadSpec given =
        settings.workload() == null ? null : WorkloadSpec.parse(settings.workload(), Path.of(""));
    createOut();
    Catalog catalog = startCpuServers();
    checkFixedVariants(catalog);
    Profiler.Result measured =
        profile(catalog, "[2/5] profiling the real models on ONNX Runtime (host CPU)");
    LatencyProfile profile = measured.profile();
    Catalog.Service service = catalog.services().get(0);
    EmulationCalibration.Calibrated emulation = null;
    LatencyProfile device = null;
    String deviceNote =
        "ONNX Runtime on the host CPU (--device cpu): real compute, sharing the"
            + " machine's cores with Kafka, Flink and the load generator";
    if (settings.emulated()) {
      device = EmulationCalibration.deviceProfile(measured);
      device.write(settings.out().resolve("device-profile.json"));
      profile.write(settings.out().resolve("profile-cpu.json"));
      emulation =
          EmulationCalibration.calibrate(
              device,
              service,
              settings.servers(),
              settings.deadlineMs(),
              ServerProfiling.BATCHES,
              settings.emulationScale());
      catalog = startEmulatedServers(device, emulation.scale());
      profile =
          profile(catalog, "      profiling the emulated servers, as the scheduler sees them,")
              .profile();
      deviceNote =
          String.format(
              Locale.ROOT,
              "emulated accelerators (--device emulated, the default): each server's one device"
                  + " holds a batch for %.2fx the real model's measured server compute time at"
                  + " that batch size (device-profile.json; interpolated between batch sizes),"
                  + " without using the CPU, and answers zeros of the declared output shapes;"
                  + " the scheduler's profile (profile.json) is measured over KServe v2 on these"
                  + " emulated servers, the real one is profile-cpu.json",
              emulation.scale());
    }
    profile.write(settings.out().resolve("profile.json"));
    WorkloadSpec workload = given;
    String note = "given with --workload";
    if (given == null && emulation != null) {
      workload = emulation.spec();
      note = "calibrated from the emulated batched capacity: " + emulation.explain();
    } else if (given == null) {
      // Kafka, Flink and the load generator need about half of the machine's cores
      int parallel =
          Math.max(1, Math.min(settings.servers(), Runtime.getRuntime().availableProcessors() / 2));
      WorkloadCalibration.Calibrated c =
          WorkloadCalibration.calibrate(
              profile, service, catalog.servers().get(0).name(), parallel);
      workload = c.spec();
      note = "calibrated from the profile: " + c.explain();
    } else if (emulation != null) {
      note += "; " + emulation.explain().replaceFirst(";.*", "");
    }
    log.accept(
        String.format(
            Locale.ROOT,
            "workload: %s (mean %.1f req/s; %s)",
            workload.toSpec(),
            workload.meanRate(),
            note));
    startKafka();
    SchedulerSettings scheduler = schedulerSettings(catalog, profile);
    List<List<PolicyResult>> runs = new ArrayList<>();
    if (drift != null) {
      // written as for a plain run: the site before the drift, for `surge evaluate --calibration`
      // and for training the drifted regime's offline reference (with the drift as --disturb)
      Calibration calibration = SimToReal.calibration(device, emulation.scale());
      calibration.write(SimToReal.file(settings));
      runs.add(List.of(runDrift(catalog, calibration, scheduler, workload)));
    } else {
      for (int run = 0; run < settings.repeat(); run++) {
        runs.add(runAll(run, scheduler, workload));
      }
    }
    String simToReal = null;
    // the simulator side knows nothing of the drift: no comparison then
    if (emulation != null && drift == null) {
      simToReal = simToReal(catalog, device, emulation.scale(), workload, runs);
    }
    DemoResult result =
        new DemoResult(
            settings,
            catalog,
            profile,
            workload,
            note,
            runs.get(0),
            null,
            runs,
            deviceNote,
            simToReal);
    log.accept("");
    if (settings.repeat() > 1) {
      log.accept(
          "over "
              + settings.repeat()
              + " runs (mean ± 95 % CI half-width; policies in alternating order, seed + run):");
      log.accept(RepeatedRuns.text(runs));
    }
    for (PolicyResult r : result.policies()) {
      log.accept(
          String.format(
              Locale.ROOT,
              "  %s: creation to decision (Kafka + Flink) p50 %.0f ms, p99 %.0f ms (run 1)",
              r.policy(),
              r.decisionDelay().percentile(0.5),
              r.decisionDelay().percentile(0.99)));
    }
    Path summary = settings.out().resolve("summary.json");
    Files.writeString(summary, RepeatedRuns.json(result));
    List<String> plots = new ArrayList<>(DemoCharts.write(settings.out(), result.policies()));
    plots.add(DemoCharts.writeIntervals(settings.out(), runs));
    Path report = DemoReport.write(result, plots);
    log.accept("report: " + report + " (plots: " + String.join(", ", plots) + "; " + summary + ")");
    return result.withReport(report);
  }

  /** A {@code fixed:VARIANT} the ladder lacks fails now, not after profiling and the broker. */
  private void checkFixedVariants(Catalog catalog) {
    settings.policies().forEach(policy -> FixedVariantPolicy.check(policy, catalog));
  }

  /**
   * The same scenario in the simulator (issue 8's sim-to-real gap): per policy its effective
   * accuracy next to the real job's; the calibration is written for {@code surge evaluate}.
   */
  private String simToReal(
      Catalog catalog,
      LatencyProfile device,
      double scale,
      WorkloadSpec workload,
      List<List<PolicyResult>> runs) {
    long start = System.nanoTime();
    Calibration calibration = SimToReal.calibration(device, scale);
    calibration.write(SimToReal.file(settings));
    List<SimToReal.Row> rows;
    try {
      rows = SimToReal.compare(catalog, calibration, workload, settings, runs);
    } catch (RuntimeException e) {
      log.accept("the simulator could not run the demo's scenario: " + e.getMessage());
      return null;
    }
    List<SimToReal.Swap> swaps = SimToReal.swaps(rows);
    log.accept("");
    log.accept(
        String.format(
            Locale.ROOT,
            "simulator vs real job (effective accuracy, same profile, workload, seeds; %.1f s;"
                + " ranking %s):",
            seconds(start),
            swaps.isEmpty() ? "the same" : "DIFFERENT"));
    log.accept(SimToReal.text(rows));
    String ranking = SimToReal.ranking(swaps);
    if (!swaps.isEmpty()) {
      log.accept(ranking);
    }
    String bestFixed =
        SimToReal.bestFixedVariant(catalog, calibration, workload, settings, runs.size(), rows);
    log.accept(bestFixed);
    String batches =
        SimToReal.batchesMarkdown(
            catalog,
            calibration,
            workload,
            settings,
            runs.size(),
            realWork,
            servers.maxBatchSize());
    return SimToReal.markdown(rows)
        + "\n"
        + ranking
        + " Reproduce the simulator side with `surge evaluate --calibration "
        + SimToReal.file(settings)
        + " --workload '"
        + workload.toSpec()
        + "' --policies "
        + String.join(",", settings.policies())
        + " --seeds "
        + runs.size()
        + " --first-seed "
        + settings.seed()
        + " --seconds "
        + settings.duration().toSeconds()
        + "` (its catalog is the shipped ladder's, the same variants on two servers). The"
        + " simulator uses the shipped calibration's overheads of the job (Kafka, Flink, protocol),"
        + " not ones measured in this run.\n\n"
        + bestFixed
        + "\n\n"
        + batches;
  }

  /** Every policy once, in the given order on even runs and reversed on odd ones. */
  private List<PolicyResult> runAll(int run, SchedulerSettings scheduler, WorkloadSpec workload)
      throws Exception {
    List<String> order = new ArrayList<>(settings.policies());
    if (run % 2 == 1) {
      Collections.reverse(order);
    }
    DemoSettings runSettings = settings.withSeed(settings.seed() + run);
    Map<String, PolicyResult> byPolicy = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      byPolicy.put(order.get(i), runPolicy(run, i, order.get(i), scheduler, workload, runSettings));
    }
    List<PolicyResult> results = settings.policies().stream().map(byPolicy::get).toList();
    log.accept("");
    log.accept(
        String.format(
            Locale.ROOT,
            "summary%s (%d s per policy, deadline %d ms, %s):",
            settings.repeat() > 1
                ? String.format(
                    Locale.ROOT,
                    " of run %d of %d, seed %d",
                    run + 1,
                    settings.repeat(),
                    runSettings.seed())
                : "",
            settings.duration().toSeconds(),
            settings.deadlineMs(),
            workload.toSpec()));
    log.accept(SummaryTable.text(results));
    return results;
  }

  private void createOut() {
    try {
      Files.createDirectories(settings.out());
      repository = Files.createTempDirectory("surge-demo-models-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + settings.out() + ": " + e.getMessage(), e);
    }
  }

  private Catalog startCpuServers() {
    long start = System.nanoTime();
    log.accept(
        String.format(
            Locale.ROOT,
            "[1/5] generating the model ladder (scale %s) and starting %d inference servers on"
                + " ONNX Runtime",
            settings.scale(),
            settings.servers()));
    // the JDK HTTP server reads this once, at its first start: without it answers wait for Nagle
    if (System.getProperty(NODELAY) == null) {
      System.setProperty(NODELAY, "true");
    }
    LadderOptions ladder =
        LadderOptions.defaults().withScale(settings.scale()).withDeadlineMs(settings.deadlineMs());
    servers = EdgeServers.start(repository, ladder, settings.servers());
    return serversStarted(start);
  }

  private Catalog startEmulatedServers(LatencyProfile device, double scale) {
    long start = System.nanoTime();
    log.accept(
        String.format(
            Locale.ROOT,
            "[3/5] replacing them with %d emulated accelerators: each batch holds the device for"
                + " %.2fx its measured compute time, off the CPU",
            settings.servers(),
            scale));
    GeneratedLadder ladder = servers.ladder();
    servers.close();
    servers = null;
    Devices devices =
        Devices.emulated(device, EmulationCalibration.DEVICE, scale, DisturbanceSpec.NONE);
    if (drift != null) {
      // normal until the measured load starts: the drift's times count from then
      driftSwitch = new FaultSwitch(drift.spec());
      devices = Devices.emulated(device, EmulationCalibration.DEVICE, scale, driftSwitch);
    }
    servers = EdgeServers.start(repository, ladder, settings.servers(), devices);
    return serversStarted(start);
  }

  private Catalog serversStarted(long start) {
    Catalog catalog = servers.catalog();
    catalog.write(settings.out().resolve("catalog.yaml"));
    for (Catalog.Server s : catalog.servers()) {
      log.accept("      " + s.name() + " at " + s.url());
    }
    log.accept(String.format(Locale.ROOT, "      ready in %.1f s", seconds(start)));
    return catalog;
  }

  private Profiler.Result profile(Catalog catalog, String what) {
    long start = System.nanoTime();
    log.accept(
        what
            + " over KServe v2 (batches "
            + ServerProfiling.BATCHES
            + ", "
            + settings.profileRuns()
            + " rounds)");
    Profiler.Result measured = ServerProfiling.profile(catalog, settings.profileRuns());
    LatencyProfile profile = measured.profile();
    String server = catalog.servers().get(0).name();
    for (Catalog.Variant v : catalog.services().get(0).variants()) {
      log.accept(
          String.format(
              Locale.ROOT,
              "      %-16s %6.2f %%  round trip: batch 1 %6.1f ms  batch 16 %6.1f ms%s",
              v.name(),
              v.accuracy(),
              profile.medianMs(server, v.model(), 1),
              profile.medianMs(server, v.model(), 16),
              computeText(measured, v.model())));
    }
    log.accept(String.format(Locale.ROOT, "      done in %.1f s", seconds(start)));
    return measured;
  }

  private static String computeText(Profiler.Result measured, String model) {
    double one = Double.NaN;
    double sixteen = Double.NaN;
    for (Profiler.ServerCompute c : measured.serverCompute()) {
      if (c.model().equals(model) && c.batch() == 1) {
        one = c.meanMs();
      } else if (c.model().equals(model) && c.batch() == 16) {
        sixteen = c.meanMs();
      }
    }
    return Double.isNaN(one)
        ? ""
        : String.format(Locale.ROOT, "; server compute %5.1f / %5.1f ms", one, sixteen);
  }

  private void startKafka() {
    long start = System.nanoTime();
    log.accept("[4/5] starting the embedded Kafka broker (KRaft)");
    kafka = EmbeddedKafka.start();
    log.accept(
        String.format(
            Locale.ROOT, "      %s ready in %.1f s", kafka.bootstrapServers(), seconds(start)));
  }

  private PolicyResult runPolicy(
      int runIndex,
      int index,
      String policy,
      SchedulerSettings scheduler,
      WorkloadSpec workload,
      DemoSettings runSettings)
      throws Exception {
    if (aborted) {
      throw new DemoException("stopped by a signal (Ctrl-C or SIGTERM)");
    }
    log.accept(
        String.format(
            Locale.ROOT,
            "[5/5] %spolicy %d of %d: %s",
            settings.repeat() > 1
                ? String.format(Locale.ROOT, "run %d of %d, ", runIndex + 1, settings.repeat())
                : "",
            index + 1,
            settings.policies().size(),
            policy));
    PolicyRun run =
        new PolicyRun(
            policy,
            runIndex * settings.policies().size() + index,
            kafka.bootstrapServers(),
            kafka.adminProperties(),
            scheduler,
            runSettings,
            workload,
            log);
    current = run;
    topicPrefixes.put(policy, run.topicPrefix());
    List<List<ModelStatistics>> before = new ArrayList<>();
    run.onMeasure(
        new PolicyRun.MeasureListener() {
          @Override
          public void started(Topics topics, Configuration jobConfig) {
            before.add(servers.statistics());
          }

          @Override
          public void ended() {}
        });
    try (run) {
      PolicyResult result = run.run();
      if (!before.isEmpty()) {
        ServerWork executed = servers.between(before.get(0), servers.statistics());
        realWork.merge(policy, executed, ServerWork::plus);
      }
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

  /**
   * The drift scenario: one policy model alone (the shipped one unless the settings name another),
   * the drift armed and the learner beside it.
   */
  private PolicyResult runDrift(
      Catalog catalog, Calibration calibration, SchedulerSettings scheduler, WorkloadSpec workload)
      throws Exception {
    String start = settings.policies().get(0);
    log.accept(
        "[5/5] drift scenario: policy "
            + start
            + ", "
            + drift.spec().toSpec()
            + " on the emulated servers from the start of the measured load, the online learner"
            + " cycling every "
            + drift.every().toSeconds()
            + " s");
    DriftLearner learner =
        new DriftLearner(
            driftSwitch,
            start,
            catalog,
            calibration,
            drift.learner(),
            drift.every(),
            settings.out().resolve("drift-learner"),
            kafka.bootstrapServers(),
            log);
    PolicyRun run =
        new PolicyRun(
                start,
                0,
                kafka.bootstrapServers(),
                kafka.adminProperties(),
                scheduler,
                settings,
                workload,
                log)
            .onMeasure(learner);
    current = run;
    topicPrefixes.put(start, run.topicPrefix());
    try (run) {
      PolicyResult result = run.run();
      log.accept("");
      log.accept(SummaryTable.text(List.of(result)));
      DriftReport.write(settings.out(), drift, learner, result, log);
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
