package io.surge.train.online;

import io.surge.sim.disturb.Disturbance;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.engine.BatcherSettings;
import io.surge.sim.engine.Calibration;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.StringJoiner;

/**
 * How much slower (or faster) each server runs than the calibration's profile says: the live half
 * of the calibration.
 *
 * <p>From the servers' own compute times where they report them ({@link ObservedExecutions}, read
 * from Triton's statistics extension): the factor is the device time the server spent on its recent
 * executions over the time the profile gives those same executions (model and batch size). That is
 * service time only, so queueing cannot inflate it: the estimate from completions below read a
 * server 18-19x slow when its queue never emptied (docs/BENCHMARKS.md).
 *
 * <p>Otherwise (a server without the statistics extension, or too few executions reported) from the
 * completions the job observes. A completion's latency is creation to answer: the job's own costs
 * (creation to decision, the protocol, the batcher's wait) plus queueing and batching plus the
 * execution. Queueing and batching only add, so the estimator compares the lower quartile of each
 * variant's recent latencies with the lower quartile the calibration predicts for a lone request
 * whose batch-1 execution takes k times the profile's (its overhead distributions drawn and added),
 * solves for k, and averages the variants' factors per server weighted by execution time squared:
 * larger variants, whose execution dominates their latency, weigh most. What queueing and batching
 * leave in the lower quartile still biases k upward under load, so a factor within the dead band
 * around 1 is taken as 1; a server that slowed 2-3x stands out.
 */
public final class LatencyScales {

  /** Factors within [1/DEAD_BAND, DEAD_BAND] are noise: the profile stays as it is. */
  static final double DEAD_BAND = 1.3;

  /** The quantile of latency compared: queueing and batching only add, so a low one. */
  static final double QUANTILE = 0.25;

  private static final int OVERHEAD_DRAWS = 2_000;
  private static final long OVERHEAD_SEED = 17;

  static final double SMALLEST = 0.25;
  static final double LARGEST = 20;

  /** Reported executions older than this (before the newest report) leave the estimate. */
  static final long EXECUTION_WINDOW_MILLIS = 120_000;

  private final Calibration base;
  private final Catalog catalog;
  private final Catalog.Service service;
  private final int window;
  private final int minSamples;
  private final double[] overheadsMs;
  private final Map<String, double[]> latencies = new HashMap<>(); // server/variant -> ring
  private final Map<String, Integer> counts = new HashMap<>();
  private final Map<String, ArrayDeque<ObservedExecutions>> executions = new HashMap<>();

  /**
   * @param base the calibration the factors apply to
   * @param window latencies kept per server and variant (the most recent)
   * @param minSamples latencies a server/variant needs before it counts
   */
  public LatencyScales(
      Calibration base, Catalog catalog, String service, int window, int minSamples) {
    this.base = base;
    this.catalog = catalog;
    this.service = catalog.service(service);
    if (this.service == null) {
      throw new IllegalArgumentException("service '" + service + "' is not in the catalog");
    }
    this.window = window;
    this.minSamples = minSamples;
    this.overheadsMs = overheadDraws(base);
  }

  /** Takes one answer in; FAILED ones and other services' say nothing about execution time. */
  public void observe(ObservedCompletion completion) {
    if (!service.name().equals(completion.service())
        || "FAILED".equals(completion.status())
        || service.indexOf(completion.variant()) < 0
        || !(completion.latencyMs() > 0)) {
      return;
    }
    String key = key(completion.server(), completion.variant());
    double[] ring = latencies.computeIfAbsent(key, k -> new double[window]);
    int n = counts.merge(key, 1, Integer::sum);
    ring[(n - 1) % window] = completion.latencyMs();
  }

  /**
   * Takes in what a server reported it computed; models that are not the service's variants, and
   * servers outside its catalog, say nothing about it.
   */
  public void observe(ObservedExecutions reported) {
    if (reported.executions() == 0
        || catalog.servers().stream().noneMatch(s -> s.name().equals(reported.server()))
        || service.variants().stream().noneMatch(v -> v.model().equals(reported.model()))) {
      return;
    }
    ArrayDeque<ObservedExecutions> recent =
        executions.computeIfAbsent(reported.server(), k -> new ArrayDeque<>());
    recent.addLast(reported);
    long since = reported.atMillis() - EXECUTION_WINDOW_MILLIS;
    while (recent.peekFirst().atMillis() < since) {
      recent.removeFirst();
    }
  }

  /** Completions seen for {@code server} running {@code variant}. */
  public int samples(String server, String variant) {
    return counts.getOrDefault(key(server, variant), 0);
  }

  /**
   * Each observed server's factor (1 within the dead band, or with too few samples); a server never
   * observed keeps 1.
   */
  public Map<String, Double> serverScales() {
    Map<String, Double> scales = new LinkedHashMap<>();
    for (String server : observedServers()) {
      scales.put(server, snapped(fittedScale(server)));
    }
    return scales;
  }

  /**
   * The factor fitted for {@code server}, before the dead band: from its reported compute times
   * when it reported enough executions, else from its completions; NaN with too few of either.
   */
  public double fittedScale(String server) {
    double compute = computeScale(server);
    return Double.isNaN(compute) ? latencyScale(server) : compute;
  }

  /**
   * The device time {@code server} reported for its recent executions over the profile's time for
   * the same executions (its median at each model and batch size: the profile's jitter is a few per
   * cent, so the mean is within 1 % of it); NaN below {@code minSamples} executions.
   */
  double computeScale(String server) {
    ArrayDeque<ObservedExecutions> recent = executions.get(server);
    if (recent == null) {
      return Double.NaN;
    }
    long n = 0;
    double observedMs = 0;
    double profileMs = 0;
    for (ObservedExecutions e : recent) {
      n += e.executions();
      observedMs += e.computeMs();
      profileMs += e.executions() * base.profile().medianMs(server, e.model(), e.batchSize());
    }
    return n < minSamples || !(profileMs > 0) ? Double.NaN : observedMs / profileMs;
  }

  /** The factor from the completions' lower quartiles; NaN with too few samples. */
  double latencyScale(String server) {
    double weighted = 0;
    double weights = 0;
    for (Catalog.Variant variant : service.variants()) {
      int n = Math.min(samples(server, variant.name()), window);
      if (n < minSamples) {
        continue;
      }
      double[] values = Arrays.copyOf(latencies.get(key(server, variant.name())), n);
      Arrays.sort(values);
      double observed = values[(int) Math.floor(QUANTILE * (n - 1))];
      double execution = base.profile().medianMs(server, variant.model(), 1);
      // larger variants weigh most: their execution time dominates their latency
      weighted += execution * execution * factorFor(observed, execution);
      weights += execution * execution;
    }
    return weights == 0 ? Double.NaN : weighted / weights;
  }

  /**
   * The factor k at which the calibration predicts {@code observed} as the lower quartile of
   * latency: {@code q25(overheads + k · execution)}, by bisection (the quantile grows with k).
   */
  private double factorFor(double observed, double execution) {
    double lo = SMALLEST;
    double hi = LARGEST;
    for (int i = 0; i < 40; i++) {
      double mid = Math.sqrt(lo * hi);
      if (predictedQuantile(mid * execution) < observed) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return Math.sqrt(lo * hi);
  }

  private double predictedQuantile(double executionMs) {
    double[] latencies = new double[overheadsMs.length];
    for (int i = 0; i < latencies.length; i++) {
      latencies[i] = overheadsMs[i] + executionMs;
    }
    Arrays.sort(latencies);
    return latencies[(int) Math.floor(QUANTILE * (latencies.length - 1))];
  }

  /**
   * Draws of what a lone request's latency adds to its execution: the calibration's creation to
   * decision and protocol overhead, and the batcher's wait for company (up to its delay).
   */
  private static double[] overheadDraws(Calibration base) {
    SplittableRandom random = new SplittableRandom(OVERHEAD_SEED);
    double[] draws = new double[OVERHEAD_DRAWS];
    double batcherDelayMs = BatcherSettings.defaults().maxQueueDelayMicros() / 1000.0;
    for (int i = 0; i < draws.length; i++) {
      draws[i] =
          base.creationToDecision().valueAt(random.nextDouble())
              + base.protocolOverhead().valueAt(random.nextDouble())
              + batcherDelayMs * random.nextDouble();
    }
    return draws;
  }

  /** The base calibration with each observed server's execution times scaled by its factor. */
  public Calibration calibration() {
    Map<String, Double> scales = serverScales();
    if (scales.values().stream().allMatch(s -> s == 1.0)) {
      return base;
    }
    LatencyProfile profile = base.profile();
    List<LatencyProfile.Entry> entries = new ArrayList<>();
    Set<String> covered = new HashSet<>();
    for (Catalog.Server server : catalog.servers()) {
      double k = scales.getOrDefault(server.name(), 1.0);
      for (String model : server.models()) {
        // a server the profile does not list runs like the first profiled one (LatencyProfile's
        // rule): it gets rows of its own here, so that only it is scaled
        for (LatencyProfile.Entry e : rowsOf(profile, server.name(), model)) {
          entries.add(
              new LatencyProfile.Entry(
                  server.name(), model, e.batch(), e.medianMs() * k, e.p95Ms() * k, e.samples()));
        }
        covered.add(key(server.name(), model));
      }
    }
    for (LatencyProfile.Entry e : profile.entries()) {
      if (!covered.contains(key(e.server(), e.model()))) {
        entries.add(e);
      }
    }
    String note = (profile.note() == null ? "" : profile.note() + "; ") + "live: " + describe();
    return new Calibration(
        base.source(),
        new LatencyProfile(profile.createdAt(), note, entries),
        base.creationToDecision(),
        base.protocolOverhead(),
        base.completionToScheduler());
  }

  /**
   * The live factors as slow-downs for good on the base calibration (none for a factor of 1): the
   * site the job sees after a drift, where its latency table still says what the profile says and
   * only the executions take longer, and where the simulator's privileged features show each
   * server's factor to an asymmetric critic (DESIGN.md section 10).
   *
   * @param serverNames the servers of the service's topology (others are left out)
   */
  public DisturbanceSpec disturbances(List<String> serverNames) {
    List<Disturbance> slowdowns = new ArrayList<>();
    for (Map.Entry<String, Double> e : serverScales().entrySet()) {
      if (serverNames.contains(e.getKey()) && e.getValue() != 1.0) {
        slowdowns.add(
            new Disturbance(
                Disturbance.Kind.SLOWDOWN,
                e.getKey(),
                e.getValue(),
                0,
                Double.POSITIVE_INFINITY,
                0));
      }
    }
    return new DisturbanceSpec(slowdowns);
  }

  /**
   * Each of the service's servers' factor, in the order of {@code serverNames} (the simulator's
   * server indices): what its privileged slow-down features would read on the live site.
   */
  public double[] factorsOf(List<String> serverNames) {
    Map<String, Double> scales = serverScales();
    double[] factors = new double[serverNames.size()];
    for (int s = 0; s < factors.length; s++) {
      factors[s] = scales.getOrDefault(serverNames.get(s), 1.0);
    }
    return factors;
  }

  /** E.g. {@code edge-0 x1.00 (fit 1.08), edge-1 x3.05}. */
  public String describe() {
    StringJoiner text = new StringJoiner(", ");
    for (String server : observedServers()) {
      double fit = fittedScale(server);
      double k = snapped(fit);
      // which estimate it is: the server's compute times, or the completions' latencies
      boolean compute = !Double.isNaN(computeScale(server));
      text.add(
          Double.isNaN(fit)
              ? server + " x1 (too few samples)"
              : k == fit
                  ? String.format(Locale.ROOT, "%s x%.2f%s", server, k, compute ? " compute" : "")
                  : String.format(
                      Locale.ROOT,
                      "%s x%.2f (%sfit %.2f)",
                      server,
                      k,
                      compute ? "compute " : "",
                      fit));
    }
    return text.length() == 0 ? "no completions yet" : text.toString();
  }

  private static List<LatencyProfile.Entry> rowsOf(
      LatencyProfile profile, String server, String model) {
    List<LatencyProfile.Entry> own =
        profile.entries().stream()
            .filter(e -> e.server().equals(server) && e.model().equals(model))
            .toList();
    if (!own.isEmpty()) {
      return own;
    }
    List<LatencyProfile.Entry> any =
        profile.entries().stream().filter(e -> e.model().equals(model)).toList();
    if (any.isEmpty()) {
      return any;
    }
    String first = any.get(0).server();
    return any.stream().filter(e -> e.server().equals(first)).toList();
  }

  private List<String> observedServers() {
    return java.util.stream.Stream.concat(
            latencies.keySet().stream().map(k -> k.substring(0, k.indexOf('/'))),
            executions.keySet().stream())
        .distinct()
        .sorted()
        .toList();
  }

  private static double snapped(double fit) {
    if (Double.isNaN(fit) || (fit < DEAD_BAND && fit > 1 / DEAD_BAND)) {
      return 1.0;
    }
    return fit;
  }

  private static String key(String server, String variant) {
    return server + "/" + variant;
  }
}
