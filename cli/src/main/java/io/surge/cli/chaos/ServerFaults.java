package io.surge.cli.chaos;

import io.surge.cli.demo.EdgeServers;
import io.surge.cli.devices.Devices;
import io.surge.cli.devices.FaultSwitch;
import io.surge.schema.InferenceResult;
import io.surge.schema.ResultStatus;
import io.surge.serving.ladder.GeneratedLadder;
import io.surge.serving.ladder.LadderOptions;
import io.surge.serving.ladder.ModelLadder;
import io.surge.sim.disturb.Disturbance;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * R3 of issue 12: three emulated inference servers under a steady load, one at a time disturbed
 * through the disturbance grammar (DESIGN.md section 6) armed when the load starts: server 0 down
 * (it answers nothing, health endpoints included), then server 1 ten times slower, then server 2
 * answering HTTP 500, each for {@code faultSeconds}. Promises checked: each request exactly one
 * result; FAILED results only on the down or erroring server, within its window (plus the breakers'
 * recovery), each with an error of its fault; none on the slow or the healthy servers (overload is
 * not an outage); the scheduler routes around each faulty server and comes back to it after the
 * window; the job never restarts. Figures: time to route around and to recover.
 */
public final class ServerFaults {

  /** How long and how hard. */
  public record Options(double faultSeconds, double rate, long seed) {
    public static Options defaults() {
      return new Options(30, 100, 12);
    }
  }

  /** The number of servers: one per kind of fault. */
  static final int SERVERS = 3;

  /** FAILED results may follow a window's end by the breakers' cool-downs and a probe. */
  static final double GRACE_SECONDS = 5;

  private final Options options;
  private final Consumer<String> log;

  public ServerFaults(Options options, Consumer<String> log) {
    this.options = options;
    this.log = log;
  }

  /** The three windows in the one grammar, times from the start of the load. */
  static DisturbanceSpec schedule(double faultSeconds) {
    double lead = Math.max(3, faultSeconds / 6);
    double gap = Math.max(5, faultSeconds / 3);
    double f = faultSeconds;
    return DisturbanceSpec.parse(
        String.format(
            Locale.ROOT,
            "outage:server=0,at=%s,for=%s;slowdown:server=1,factor=10,at=%s,for=%s;"
                + "errors:server=2,at=%s,for=%s",
            lead,
            f,
            lead + f + gap,
            f,
            lead + 2 * (f + gap),
            f));
  }

  public ChaosOutcome run(Path dir) throws Exception {
    String tag = "chaos-faults-" + Long.toHexString(System.currentTimeMillis());
    DisturbanceSpec spec = schedule(options.faultSeconds());
    FaultSwitch faults = new FaultSwitch(spec);
    double loadSeconds = endOf(spec) + Math.max(8, options.faultSeconds() / 3);
    try (ChaosRig rig = new ChaosRig(dir, tag, log, repository -> servers(repository, faults))) {
      rig.startJob(rig.jobOptions());
      ChaosLoad load = rig.load("chaos-f-");
      try (ChaosTally tally = rig.tally()) {
        log.accept(
            String.format(
                Locale.ROOT,
                "  requests at %.0f/s; once the job keeps up, faults armed for %.0f s: %s",
                options.rate(),
                loadSeconds,
                spec.toSpec()));
        long armedAtMillis;
        try (Producer<byte[], byte[]> producer = rig.producer()) {
          AtomicBoolean stop = new AtomicBoolean();
          AtomicReference<Exception> senderFailure = new AtomicReference<>();
          Thread sender =
              new Thread(
                  () -> {
                    try {
                      load.send(producer, Integer.MAX_VALUE, options.rate(), stop::get);
                    } catch (Exception e) {
                      senderFailure.set(e);
                    }
                  },
                  "chaos-load");
          sender.start();
          try {
            warmUp(rig, tally, load);
            armedAtMillis = System.currentTimeMillis();
            faults.arm();
            log.accept("  faults armed");
            Thread.sleep(Math.round(loadSeconds * 1000));
          } finally {
            stop.set(true);
            sender.join();
          }
          if (senderFailure.get() != null) {
            throw senderFailure.get();
          }
        }
        load.requireAllSent();
        log.accept("  sent; waiting for every result (read_committed)");
        long waitStart = System.nanoTime();
        boolean complete =
            tally.await(
                () -> tally.resultRecords() >= load.size(),
                rig.jobUnhealthy(),
                Duration.ofSeconds(120));
        double drainSeconds = (System.nanoTime() - waitStart) / 1e9;
        ChaosRig.awaitFewMoreCheckpoints();
        return check(rig, tally, load, spec, armedAtMillis, complete, drainSeconds);
      }
    }
  }

  /**
   * Waits until the freshly started job keeps up with the load (results within 1.5 s of what was
   * sent, after at least 3 s of load): a cold job's backlog would push every decision past short
   * fault windows.
   */
  private void warmUp(ChaosRig rig, ChaosTally tally, ChaosLoad load) throws Exception {
    long start = System.nanoTime();
    double rate = options.rate();
    boolean caughtUp =
        tally.await(
            () -> load.size() >= 3 * rate && tally.resultRecords() >= load.size() - 1.5 * rate,
            () -> false,
            Duration.ofSeconds(120));
    log.accept(
        String.format(
            Locale.ROOT,
            "  warm-up: %d requests in %.1f s, %d results; the job %s (%s)",
            load.size(),
            (System.nanoTime() - start) / 1e9,
            tally.resultRecords(),
            caughtUp ? "keeps up" : "did not catch up within 120 s (faults armed anyway)",
            rig.health()));
  }

  private static double endOf(DisturbanceSpec spec) {
    return spec.disturbances().stream().mapToDouble(d -> d.at() + d.duration()).max().orElse(0);
  }

  /** Three servers on emulated devices (no CPU) following {@code faults}. */
  static EdgeServers servers(Path repository, FaultSwitch faults) {
    GeneratedLadder ladder =
        ModelLadder.generate(repository, LadderOptions.defaults().withScale(0.05));
    LatencyProfile device = deviceProfile(ladder.catalog());
    return EdgeServers.start(
        repository, ladder, SERVERS, Devices.emulated(device, "edge-0", 1.0, faults));
  }

  /** The rig's rough profile (1..5 ms at batch 1 for the five variants) as a device profile. */
  static LatencyProfile deviceProfile(Catalog ladderCatalog) {
    Catalog named =
        new Catalog(
            ladderCatalog.services(),
            List.of(
                new Catalog.Server(
                    "edge-0",
                    "http://127.0.0.1:1",
                    ladderCatalog.services().get(0).variants().stream()
                        .map(Catalog.Variant::model)
                        .toList())));
    return ChaosRig.roughProfile(named);
  }

  private ChaosOutcome check(
      ChaosRig rig,
      ChaosTally tally,
      ChaosLoad load,
      DisturbanceSpec spec,
      long armedAtMillis,
      boolean complete,
      double drainSeconds)
      throws Exception {
    ChaosRig.Health health = rig.health();
    ChaosLoad.Counts counts = load.count(tally);
    Map<String, List<InferenceResult>> all = tally.allResults();
    List<InferenceResult> results = new ArrayList<>();
    all.values().forEach(results::addAll);
    List<String> servers = rig.catalog().servers().stream().map(Catalog.Server::name).toList();

    long wrongFailures = 0;
    List<String> wrongExamples = new ArrayList<>();
    Map<String, Long> unexpectedByError = new TreeMap<>();
    for (InferenceResult r : results) {
      if (!ResultStatus.FAILED.name().equals(r.getStatus())) {
        continue;
      }
      String why = unexpectedFailure(r, spec, servers, armedAtMillis);
      if (why != null) {
        wrongFailures++;
        unexpectedByError.merge(errorClass(r.getError()), 1L, Long::sum);
        if (wrongExamples.size() < 5) {
          wrongExamples.add(why);
        }
      }
    }
    log.accept(
        "  results per status: "
            + tally.byStatus()
            + "; an error per status: "
            + tally.sampleErrors());
    log.accept("  latency per status (SHED: creation to decision): " + tally.latencies());
    List<FaultFigures> figures = new ArrayList<>();
    boolean routedAndRecovered = true;
    for (Disturbance d : spec.disturbances()) {
      FaultFigures f = FaultFigures.of(d, servers, results, armedAtMillis);
      figures.add(f);
      log.accept("  " + f.line());
      if (d.kind() != Disturbance.Kind.SLOWDOWN) {
        // the fault must have been met (some calls failed), routed around, and recovered from
        routedAndRecovered &=
            f.failed() > 0 && f.routedAroundSeconds() >= 0 && f.recoveredSeconds() >= 0;
      }
    }
    wrongExamples.forEach(w -> log.accept("  unexpected FAILED: " + w));
    unexpectedByError.forEach(
        (error, n) ->
            log.accept(String.format(Locale.ROOT, "  unexpected FAILED %6d  %s", n, error)));
    log.accept(String.format(Locale.ROOT, "  %s; drained in %.1f s", health.line(), drainSeconds));
    boolean passed =
        complete
            && counts.exact()
            && tally.undecodable() == 0
            && tally.deadLetterRecords() == 0
            && wrongFailures == 0
            && routedAndRecovered
            && health.healthy();
    StringBuilder line = new StringBuilder(counts.line());
    line.append(String.format(Locale.ROOT, "; FAILED outside a fault %d", wrongFailures));
    for (FaultFigures f : figures) {
      line.append("; ").append(f.summary());
    }
    line.append("; ").append(health.figures());
    return new ChaosOutcome(Scenario.SERVER_FAULTS.cliName(), passed, line.toString());
  }

  /** An error text with its ports, numbers and model names blanked, to count errors by class. */
  static String errorClass(String error) {
    return error == null
        ? "(no error text)"
        : error
            .replaceAll("edge-[0-9]+", "edge-#")
            .replaceAll("/v2/models/[^/]+/", "/v2/models/#/")
            .replaceAll("[0-9]+", "#");
  }

  /**
   * Why a FAILED result was not what a fault explains, or null when it is: the server was down or
   * erroring around the result's time (from its decision to its completion, within the window plus
   * {@link #GRACE_SECONDS}) and the error names that fault or the open circuit.
   */
  static String unexpectedFailure(
      InferenceResult r, DisturbanceSpec spec, List<String> servers, long armedAtMillis) {
    String server = r.getServer();
    String error = r.getError() == null ? "" : r.getError();
    double decided = (r.getDecidedAt().toEpochMilli() - armedAtMillis) / 1e3;
    double completed = (r.getCompletedAt().toEpochMilli() - armedAtMillis) / 1e3;
    for (Disturbance d : spec.disturbances()) {
      if (d.kind() == Disturbance.Kind.SLOWDOWN
          || server == null
          || d.serverIndex(servers) != servers.indexOf(server)) {
        continue;
      }
      boolean inWindow = completed >= d.at() && decided <= d.at() + d.duration() + GRACE_SECONDS;
      boolean fits =
          error.contains("circuit open")
              || (d.kind() == Disturbance.Kind.OUTAGE && error.contains("unreachable"))
              || (d.kind() == Disturbance.Kind.ERRORS && error.contains("HTTP 500"));
      if (inWindow && fits) {
        return null;
      }
    }
    return String.format(
        Locale.ROOT,
        "%s on %s decided at %.1f s, completed at %.1f s: %s",
        r.getRequestId(),
        server,
        decided,
        completed,
        error);
  }
}
