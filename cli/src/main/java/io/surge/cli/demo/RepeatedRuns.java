package io.surge.cli.demo;

import io.surge.policy.baseline.Policies;
import io.surge.state.metrics.Scoreboard;
import io.surge.train.LoadAverage;
import io.surge.train.eval.EvaluationJson;
import io.surge.train.eval.MeanInterval;
import io.surge.train.eval.ModeResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's figures across runs ({@code --repeat N}): per policy the mean and 95 % confidence
 * interval (Student t over runs) of effective accuracy and SLO attainment, as a table and as {@code
 * summary.json} in the shape of {@code surge evaluate}'s {@code results.json} (written by the same
 * {@link EvaluationJson}; fractions 0-1; per-run values under {@code per_run_*}).
 */
final class RepeatedRuns {

  private RepeatedRuns() {}

  /** One policy's values over the runs, fractions 0-1. */
  record Values(String policy, double[] accuracy, double[] slo, double[] shed, double[] p99) {
    MeanInterval accuracyInterval() {
      return MeanInterval.of(accuracy);
    }

    MeanInterval sloInterval() {
      return MeanInterval.of(slo);
    }
  }

  static List<Values> values(List<List<PolicyResult>> runs) {
    List<Values> out = new ArrayList<>();
    int policies = runs.get(0).size();
    for (int p = 0; p < policies; p++) {
      int n = runs.size();
      double[] accuracy = new double[n];
      double[] slo = new double[n];
      double[] shed = new double[n];
      double[] p99 = new double[n];
      for (int r = 0; r < n; r++) {
        Scoreboard.Summary s = runs.get(r).get(p).summary();
        accuracy[r] = s.effectiveAccuracy() / 100;
        slo[r] = s.sloAttainment();
        shed[r] = s.shedRate();
        p99[r] = s.p99LatencyMs();
      }
      out.add(new Values(runs.get(0).get(p).policy(), accuracy, slo, shed, p99));
    }
    return out;
  }

  static String text(List<List<PolicyResult>> runs) {
    List<Values> values = values(runs);
    String row =
        "%-"
            + policyWidth(values.stream().map(Values::policy).toList())
            + "s %4s  %-22s %-22s %s%n";
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            row,
            "policy",
            "runs",
            "eff. accuracy %",
            "SLO attainment %",
            "eff. accuracy % per run"));
    for (Values v : values) {
      sb.append(
          String.format(
              Locale.ROOT,
              row,
              v.policy(),
              String.valueOf(v.accuracy().length),
              interval(v.accuracyInterval()),
              interval(v.sloInterval()),
              perRun(v.accuracy())));
    }
    return sb.toString().stripTrailing();
  }

  /** The width of a text table's policy column: its longest name, at least 14. */
  static int policyWidth(List<String> policies) {
    return Math.max(14, policies.stream().mapToInt(String::length).max().orElse(0));
  }

  static String markdown(List<List<PolicyResult>> runs) {
    StringBuilder md =
        new StringBuilder(
            "| policy | runs | eff. accuracy % (mean ± 95 % CI) | SLO attainment % (mean ± 95 %"
                + " CI) | eff. accuracy % per run | SLO attainment % per run |\n"
                + "|---|---:|---|---|---|---|\n");
    for (Values v : values(runs)) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %s | %s | %s | %s |%n",
              v.policy(),
              v.accuracy().length,
              interval(v.accuracyInterval()),
              interval(v.sloInterval()),
              perRun(v.accuracy()),
              perRun(v.slo())));
    }
    return md.toString();
  }

  /** {@code summary.json}. */
  static String json(DemoResult result) {
    List<List<PolicyResult>> runs = result.runs();
    List<String> variants = runs.get(0).get(0).summary().variants();
    List<io.surge.train.eval.PolicyResult> entries = new ArrayList<>();
    String bestBaseline = null;
    double bestMean = Double.NEGATIVE_INFINITY;
    for (Values v : values(runs)) {
      Map<String, Double> mix = new LinkedHashMap<>();
      for (int i = 0; i < variants.size(); i++) {
        double share = 0;
        for (List<PolicyResult> run : runs) {
          PolicyResult r =
              run.stream().filter(x -> x.policy().equals(v.policy())).findFirst().orElseThrow();
          share += r.summary().variantMix()[i] / runs.size();
        }
        mix.put(variants.get(i), share);
      }
      boolean baseline = Policies.isBuiltIn(v.policy());
      ModeResult mode = ModeResult.ofRuns(v.accuracy(), v.slo(), v.shed(), v.p99(), mix);
      entries.add(
          new io.surge.train.eval.PolicyResult(
              v.policy(), baseline ? "baseline" : "learned", mode, null));
      if (baseline && v.accuracyInterval().mean() > bestMean) {
        bestMean = v.accuracyInterval().mean();
        bestBaseline = v.policy();
      }
    }
    Map<String, Object> header = new LinkedHashMap<>();
    DemoSettings s = result.settings();
    header.put("workload", result.workload().toSpec());
    header.put("device", s.emulated() ? "emulated" : "cpu");
    header.put("device_note", result.deviceNote());
    header.put("workload_note", result.workloadNote());
    header.put("runs", runs.size());
    header.put("first_seed", s.seed());
    header.put("seconds", s.duration().toSeconds());
    header.put("deadline_ms", s.deadlineMs());
    header.put("best_baseline", bestBaseline);
    double load = LoadAverage.oneMinute();
    header.put("load_average", Double.isFinite(load) ? load : null);
    return EvaluationJson.writeRuns(header, entries);
  }

  private static String interval(MeanInterval m) {
    return Double.isNaN(m.ci95())
        ? String.format(Locale.ROOT, "%.2f", m.mean() * 100)
        : String.format(Locale.ROOT, "%.2f ± %.2f", m.mean() * 100, m.ci95() * 100);
  }

  private static String perRun(double[] values) {
    StringBuilder sb = new StringBuilder();
    for (double v : values) {
      sb.append(sb.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", v * 100));
    }
    return sb.toString();
  }
}
