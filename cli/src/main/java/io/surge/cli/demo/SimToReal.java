package io.surge.cli.demo;

import io.surge.cli.bench.BatchMix;
import io.surge.policy.baseline.FixedVariantPolicy;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.engine.Calibration;
import io.surge.sim.engine.DelayDistribution;
import io.surge.sim.engine.ExecutionTrace;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import io.surge.train.eval.EvaluationPlan;
import io.surge.train.eval.EvaluationResult;
import io.surge.train.eval.MeanInterval;
import io.surge.train.eval.ModeResult;
import io.surge.train.eval.PolicyEvaluation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's scenario run through the simulator: the same catalog, the emulated devices' execution
 * times (device profile × K, exactly what the emulated servers hold), the shipped calibration's
 * overheads of the job (creation to decision, protocol, completion loop), the same workload, the
 * same seeds (one per run) and seconds, the same policies (a learned policy in its sampled mode, as
 * the job serves it). Written as {@code OUT/calibration.json} so that {@code surge evaluate
 * --calibration OUT/calibration.json --workload …} reproduces it.
 */
final class SimToReal {

  private SimToReal() {}

  /**
   * One policy's effective accuracy (fraction) in the simulator and on real parts.
   *
   * @param simulatorPerRun the simulator's value for each run's seed, in run order
   * @param realPerRun the real job's value of each run
   * @param measuredDelay the simulator again, with the creation-to-decision delay this policy's
   *     requests had in the real runs instead of the shipped estimate; null when not measured
   */
  record Row(
      String policy,
      MeanInterval simulator,
      double[] simulatorPerRun,
      MeanInterval real,
      double[] realPerRun,
      MeanInterval measuredDelay,
      double delayP50Ms,
      double delayP99Ms) {
    double differencePoints() {
      return 100 * (simulator.mean() - real.mean());
    }

    /** Simulator minus real job, seed by seed (each run's seed drives both). */
    MeanInterval pairedDifference() {
      return MeanInterval.paired(simulatorPerRun, realPerRun);
    }

    /**
     * Whether the simulator is within {@value #BAR_POINTS} points of the real job, judged on the
     * seed-by-seed difference: "yes" when its 95 % CI lies inside the bar, "no" when it lies wholly
     * outside, and "not resolved" when the runs spread too much to tell (a policy on an overload
     * cliff, whose real runs alone differ by tens of points). One run: its difference decides.
     */
    Verdict withinBar() {
      MeanInterval d = pairedDifference();
      double mean = 100 * d.mean();
      if (Double.isNaN(d.ci95())) {
        return Math.abs(mean) <= BAR_POINTS ? Verdict.YES : Verdict.NO;
      }
      double lower = 100 * d.lower();
      double upper = 100 * d.upper();
      if (lower >= -BAR_POINTS && upper <= BAR_POINTS) {
        return Verdict.YES;
      }
      if (lower > BAR_POINTS || upper < -BAR_POINTS) {
        return Verdict.NO;
      }
      return Verdict.NOT_RESOLVED;
    }
  }

  /** Whether the simulator is within the bar: as the report says it, and in a text column. */
  enum Verdict {
    YES("yes", "yes"),
    NO("no", "no"),
    NOT_RESOLVED("not resolved by these runs", "unresolved");

    final String text;
    final String shortText;

    Verdict(String text, String shortText) {
      this.text = text;
      this.shortText = shortText;
    }
  }

  /** The sim-to-real bar of issue 8, in points of effective accuracy. */
  static final double BAR_POINTS = 5;

  /**
   * Two policies the simulator and the real job order differently.
   *
   * @param realDifference the real job's per-run differences {@code first - second} (every run
   *     drives the same workload seed through both policies, so the runs pair)
   */
  record Swap(Row first, Row second, MeanInterval realDifference) {
    /** Whether the real runs tell the two apart: the paired difference's 95 % CI excludes 0. */
    boolean realJobTellsApart() {
      return Math.abs(realDifference.mean()) > realDifference.ci95();
    }

    String describe() {
      return String.format(
          Locale.ROOT,
          "%s / %s (real job %+.2f ± %.2f points, %s; simulator %+.2f)",
          first.policy(),
          second.policy(),
          100 * realDifference.mean(),
          100 * realDifference.ci95(),
          realJobTellsApart() ? "apart" : "not told apart by these runs",
          100 * (first.simulator().mean() - second.simulator().mean()));
    }
  }

  static Calibration calibration(LatencyProfile device, double scale) {
    Calibration defaults = Calibration.defaults();
    return new Calibration(
            "surge demo: the emulated devices' execution times (device-profile.json x "
                + scale
                + "); the job's overheads from the shipped default calibration",
            device,
            defaults.creationToDecision(),
            defaults.protocolOverhead(),
            defaults.completionToScheduler())
        .withLatencyScale(scale);
  }

  static List<Row> compare(
      Catalog catalog,
      Calibration calibration,
      WorkloadSpec workload,
      DemoSettings settings,
      List<List<PolicyResult>> runs) {
    EvaluationPlan plan =
        plan(catalog, calibration, workload, settings, settings.policies(), runs.size());
    EvaluationResult result = PolicyEvaluation.run(plan);
    List<RepeatedRuns.Values> real = RepeatedRuns.values(runs);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < settings.policies().size(); i++) {
      io.surge.train.eval.PolicyResult p = result.policies().get(i);
      List<Samples> delays = new ArrayList<>();
      for (List<PolicyResult> run : runs) {
        delays.add(run.get(i).decisionDelay());
      }
      Samples delay = Samples.pooled(delays);
      MeanInterval measured = null;
      if (delay.count() >= 10) {
        Calibration withDelay =
            new Calibration(
                calibration.source() + "; creation to decision as measured for " + p.token(),
                calibration.profile(),
                distribution(delay),
                calibration.protocolOverhead(),
                calibration.completionToScheduler());
        EvaluationPlan one =
            plan(catalog, withDelay, workload, settings, List.of(p.token()), runs.size());
        measured = served(PolicyEvaluation.run(one).policies().get(0)).effectiveAccuracy();
      }
      rows.add(
          new Row(
              p.token(),
              served(p).effectiveAccuracy(),
              served(p).perSeedAccuracy(),
              real.get(i).accuracyInterval(),
              real.get(i).accuracy(),
              measured,
              delay.percentile(0.5),
              delay.percentile(0.99)));
    }
    return rows;
  }

  /** The demo's scenario as an evaluation of {@code policies}: one seed per run, its seconds. */
  private static EvaluationPlan plan(
      Catalog catalog,
      Calibration calibration,
      WorkloadSpec workload,
      DemoSettings settings,
      List<String> policies,
      int runs) {
    return new EvaluationPlan(
        SimulatorConfig.of(catalog, catalog.services().get(0).name(), calibration),
        workload,
        DisturbanceSpec.NONE,
        policies,
        runs,
        settings.seed(),
        settings.duration().toMillis() / 1000.0,
        EvaluationPlan.SHIPPED_POLICIES,
        Math.max(1, Math.min(runs, 2)));
  }

  /**
   * The best fixed variant in hindsight: every {@code fixed:VARIANT} of the catalog through the
   * simulator on the demo's scenario (the same seeds), the best one named next to the policies the
   * demo ran. Serving one variant always is what an operator who knew the load would do; a policy
   * that adapts has to beat it to show that adapting pays.
   */
  static String bestFixedVariant(
      Catalog catalog,
      Calibration calibration,
      WorkloadSpec workload,
      DemoSettings settings,
      int runs,
      List<Row> rows) {
    List<String> fixed =
        catalog.services().get(0).variants().stream()
            .map(v -> FixedVariantPolicy.PREFIX + v.name())
            .toList();
    EvaluationResult result =
        PolicyEvaluation.run(plan(catalog, calibration, workload, settings, fixed, runs));
    io.surge.train.eval.PolicyResult best = null;
    for (io.surge.train.eval.PolicyResult p : result.policies()) {
      if (best == null
          || served(p).effectiveAccuracy().mean() > served(best).effectiveAccuracy().mean()) {
        best = p;
      }
    }
    MeanInterval bar = served(best).effectiveAccuracy();
    List<String> above = new ArrayList<>();
    List<String> below = new ArrayList<>();
    for (Row r : rows) {
      if (!r.policy().equals(best.token())) {
        (r.simulator().mean() > bar.mean() ? above : below).add(r.policy());
      }
    }
    return String.format(
        Locale.ROOT,
        "Best fixed variant in hindsight (every variant served always, in the simulator on the same"
            + " scenario): `%s`, %s %%. In the simulator, above it: %s; not above it: %s.",
        best.token(),
        interval(bar),
        above.isEmpty() ? "none" : String.join(", ", above),
        below.isEmpty() ? "none" : String.join(", ", below));
  }

  /**
   * Per policy, the batches the real servers executed during its measured loads next to those the
   * simulator's servers start in the same scenario (every run's seed): whether both batch alike is
   * what decides a policy that overloads them.
   */
  static String batchesMarkdown(
      Catalog catalog,
      Calibration calibration,
      WorkloadSpec workload,
      DemoSettings settings,
      int runs,
      Map<String, ServerWork> real,
      int maxBatch) {
    EvaluationPlan plan = plan(catalog, calibration, workload, settings, settings.policies(), runs);
    StringBuilder md =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "Server batches during the measured loads (all servers and models, %d run(s)):%n%n"
                    + "| policy | real: executions | real: rows per execution | real: share at"
                    + " %d rows | real: device time / profile | simulator: executions | simulator:"
                    + " rows per execution | simulator: share at %d rows |%n"
                    + "|---|---:|---:|---:|---:|---:|---:|---:|%n",
                runs,
                maxBatch,
                maxBatch));
    for (String policy : settings.policies()) {
      Map<Integer, Long> started = new TreeMap<>();
      for (int seed = 0; seed < runs; seed++) {
        PolicyEvaluation.trace(plan, policy, seed, batchCounter(started));
      }
      BatchMix simulated = new BatchMix(started);
      ServerWork work = real.getOrDefault(policy, ServerWork.NONE);
      BatchMix measured = work.batches();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.2f | %.1f %% | %.3f | %d | %.2f | %.1f %% |%n",
              policy,
              measured.executions(),
              measured.meanBatch(),
              share(measured.executionsAt(maxBatch), measured.executions()),
              work.deviceTimeOverProfile(),
              simulated.executions(),
              simulated.meanBatch(),
              share(simulated.executionsAt(maxBatch), simulated.executions())));
    }
    return md.toString();
  }

  /** Counts the batches the simulator's servers start, by size, into {@code counts}. */
  private static ExecutionTrace batchCounter(Map<Integer, Long> counts) {
    return new ExecutionTrace() {
      @Override
      public void onExecution(
          int server, int variant, int batchSize, long startNanos, long endNanos) {
        counts.merge(batchSize, 1L, Long::sum);
      }

      @Override
      public void onMember(long decision, long enqueuedAtNanos) {}
    };
  }

  private static double share(long part, long whole) {
    return whole == 0 ? Double.NaN : 100.0 * part / whole;
  }

  /**
   * The mode the demo's job serves a learned policy in: argmax ({@code surge.policy.mode}'s
   * default), which is also the evaluation's headline; comparing the sampled mode with it made the
   * simulator side of this table a different policy.
   */
  private static ModeResult served(io.surge.train.eval.PolicyResult p) {
    return p.headline();
  }

  private static final double[] QUANTILES = {0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1};

  /** The measured delays as an empirical distribution (nearest-rank quantiles). */
  static DelayDistribution distribution(Samples delay) {
    double[] values = new double[QUANTILES.length];
    for (int q = 0; q < QUANTILES.length; q++) {
      double v = delay.percentile(Math.max(1e-9, QUANTILES[q]));
      values[q] = Math.max(q == 0 ? 0 : values[q - 1], Math.max(0, v));
    }
    return new DelayDistribution(QUANTILES, values);
  }

  static String markdown(List<Row> rows) {
    StringBuilder md =
        new StringBuilder(
            "| policy | simulator eff. accuracy % | real job eff. accuracy % | simulator - real"
                + " (points) | the same seed by seed (points, 95 % CI) | within ±5 | creation to"
                + " decision in the real job, p50 / p99 ms |"
                + " simulator with that delay % | that - real (points) |\n"
                + "|---|---|---|---:|---:|---|---:|---|---:|\n");
    for (Row r : rows) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %+.2f | %s | %s | %.0f / %.0f | %s | %s |%n",
              r.policy(),
              interval(r.simulator()),
              interval(r.real()),
              r.differencePoints(),
              signedInterval(r.pairedDifference()),
              r.withinBar().text,
              r.delayP50Ms(),
              r.delayP99Ms(),
              r.measuredDelay() == null ? "-" : interval(r.measuredDelay()),
              r.measuredDelay() == null
                  ? "-"
                  : String.format(
                      Locale.ROOT, "%+.2f", 100 * (r.measuredDelay().mean() - r.real().mean()))));
    }
    md.append(
        "\n*within ±5*: yes when the 95 % CI of the seed-by-seed difference lies inside ±5 points,"
            + " no when it lies wholly outside, not resolved when the runs spread across the bar.\n");
    return md.toString();
  }

  static String text(List<Row> rows) {
    String row =
        "%-"
            + RepeatedRuns.policyWidth(rows.stream().map(Row::policy).toList())
            + "s %-18s %-18s %-10s %-10s %s%n";
    StringBuilder sb =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                row,
                "policy",
                "simulator %",
                "real job %",
                "sim - real",
                "within ±5",
                "simulator with the real creation-to-decision delay %"));
    for (Row r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              row,
              r.policy(),
              interval(r.simulator()),
              interval(r.real()),
              String.format(Locale.ROOT, "%+.2f", r.differencePoints()),
              r.withinBar().shortText,
              r.measuredDelay() == null ? "-" : interval(r.measuredDelay())));
    }
    return sb.toString().stripTrailing();
  }

  /**
   * Every pair of policies the simulator and the real job order oppositely by mean effective
   * accuracy (a tie on either side orders nothing); none when the rankings agree.
   */
  static List<Swap> swaps(List<Row> rows) {
    List<Swap> swaps = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      for (int j = i + 1; j < rows.size(); j++) {
        Row a = rows.get(i);
        Row b = rows.get(j);
        double simulator = a.simulator().mean() - b.simulator().mean();
        double real = a.real().mean() - b.real().mean();
        if (simulator * real < 0) {
          swaps.add(new Swap(a, b, MeanInterval.paired(a.realPerRun(), b.realPerRun())));
        }
      }
    }
    return swaps;
  }

  /** The report's sentence on the ranking: the same, or which pairs differ and whether it shows. */
  static String ranking(List<Swap> swaps) {
    if (swaps.isEmpty()) {
      return "Same ranking of the policies: yes.";
    }
    boolean contradicted = swaps.stream().anyMatch(Swap::realJobTellsApart);
    return "Same ranking of the policies: no; ordered differently: "
        + String.join("; ", swaps.stream().map(Swap::describe).toList())
        + ". Where the real runs tell the policies apart, the simulator's order "
        + (contradicted ? "differs." : "is the same.");
  }

  private static String signedInterval(MeanInterval m) {
    return Double.isNaN(m.ci95())
        ? String.format(Locale.ROOT, "%+.2f", 100 * m.mean())
        : String.format(Locale.ROOT, "%+.2f ± %.2f", 100 * m.mean(), 100 * m.ci95());
  }

  private static String interval(MeanInterval m) {
    return Double.isNaN(m.ci95())
        ? String.format(Locale.ROOT, "%.2f", 100 * m.mean())
        : String.format(Locale.ROOT, "%.2f ± %.2f", 100 * m.mean(), 100 * m.ci95());
  }

  static Path file(DemoSettings settings) {
    return settings.out().resolve("calibration.json");
  }
}
