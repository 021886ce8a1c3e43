package io.surge.cli.demo;

import io.surge.schema.ResultStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * The report's plots (PNG, XChart): effective accuracy and SLO attainment per policy; how each
 * policy's requests ended by variant (stacked); and per policy a timeline of the arrival rate
 * against OK, late and shed requests per second, and one of the variant mix per second.
 */
final class DemoCharts {

  static final String ACCURACY_FILE = "accuracy-slo.png";
  static final String MIX_FILE = "variant-mix.png";
  static final String TIMELINE_FILE = "timeline.png";
  static final String MIX_TIMELINE_FILE = "variant-mix-timeline.png";

  private DemoCharts() {}

  /** Writes the plots into {@code dir}; returns the file names written. */
  static List<String> write(Path dir, List<PolicyResult> results) {
    // charts are drawn off-screen: no display is needed (or wanted) on a server
    System.setProperty("java.awt.headless", "true");
    save(accuracyChart(results), dir.resolve(ACCURACY_FILE));
    save(mixChart(results), dir.resolve(MIX_FILE));
    saveStacked(results, DemoCharts::timelineChart, dir.resolve(TIMELINE_FILE));
    saveStacked(results, DemoCharts::mixTimelineChart, dir.resolve(MIX_TIMELINE_FILE));
    return List.of(ACCURACY_FILE, MIX_FILE, TIMELINE_FILE, MIX_TIMELINE_FILE);
  }

  static final String INTERVALS_FILE = "accuracy-slo-ci.png";

  /**
   * Per policy the mean effective accuracy and SLO attainment over the runs with 95 % confidence
   * intervals as error bars (none for a single run); returns the file name.
   */
  static String writeIntervals(Path dir, List<List<PolicyResult>> runs) {
    System.setProperty("java.awt.headless", "true");
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(800)
            .height(500)
            .title(
                "Effective accuracy and SLO attainment over "
                    + runs.size()
                    + (runs.size() == 1 ? " run" : " runs (mean, 95 % CI)"))
            .xAxisTitle("policy")
            .yAxisTitle("%")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
    List<String> names = new ArrayList<>();
    List<Double> accuracy = new ArrayList<>();
    List<Double> accuracyCi = new ArrayList<>();
    List<Double> slo = new ArrayList<>();
    List<Double> sloCi = new ArrayList<>();
    for (RepeatedRuns.Values v : RepeatedRuns.values(runs)) {
      names.add(v.policy());
      accuracy.add(zeroIfNaN(v.accuracyInterval().mean() * 100));
      accuracyCi.add(zeroIfNaN(v.accuracyInterval().ci95() * 100));
      slo.add(zeroIfNaN(v.sloInterval().mean() * 100));
      sloCi.add(zeroIfNaN(v.sloInterval().ci95() * 100));
    }
    chart.addSeries("effective accuracy (% top-1, late = wrong)", names, accuracy, accuracyCi);
    chart.addSeries("SLO attainment (% on time)", names, slo, sloCi);
    save(chart, dir.resolve(INTERVALS_FILE));
    return INTERVALS_FILE;
  }

  private static List<String> policies(List<PolicyResult> results) {
    return results.stream().map(PolicyResult::policy).toList();
  }

  static CategoryChart accuracyChart(List<PolicyResult> results) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(800)
            .height(500)
            .title("Effective accuracy and SLO attainment")
            .xAxisTitle("policy")
            .yAxisTitle("%")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
    List<Double> accuracy = new ArrayList<>();
    List<Double> slo = new ArrayList<>();
    for (PolicyResult r : results) {
      accuracy.add(zeroIfNaN(r.summary().effectiveAccuracy()));
      slo.add(zeroIfNaN(r.summary().sloAttainment() * 100));
    }
    chart.addSeries("effective accuracy (% top-1, late = wrong)", policies(results), accuracy);
    chart.addSeries("SLO attainment (% on time)", policies(results), slo);
    return chart;
  }

  static CategoryChart mixChart(List<PolicyResult> results) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(800)
            .height(500)
            .title("How requests were served")
            .xAxisTitle("policy")
            .yAxisTitle("% of requests")
            .build();
    chart.getStyler().setStacked(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    List<String> variants = results.get(0).summary().variants();
    for (int v = 0; v < variants.size(); v++) {
      List<Double> shares = new ArrayList<>();
      for (PolicyResult r : results) {
        shares.add(share(r.tallies().variantCounts()[v], r.results()));
      }
      chart.addSeries(variants.get(v), policies(results), shares);
    }
    List<Double> shed = new ArrayList<>();
    for (PolicyResult r : results) {
      shed.add(share(r.count(ResultStatus.SHED), r.results()));
    }
    chart.addSeries("shed", policies(results), shed);
    return chart;
  }

  static XYChart timelineChart(PolicyResult result) {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(350)
            .title(result.policy() + ": arrivals and outcomes per second")
            .xAxisTitle("second of the run")
            .yAxisTitle("requests/s")
            .build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    chart.getStyler().setMarkerSize(0);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    Timeline t = result.timeline();
    int n = Math.max(1, t.seconds());
    double[] x = new double[n];
    double[] arrivals = new double[n];
    double[] ok = new double[n];
    double[] late = new double[n];
    double[] shed = new double[n];
    for (int s = 0; s < t.seconds(); s++) {
      x[s] = s;
      arrivals[s] = t.arrivals(s);
      ok[s] = t.count(s, ResultStatus.OK);
      late[s] = t.count(s, ResultStatus.LATE) + t.count(s, ResultStatus.FAILED);
      shed[s] = t.count(s, ResultStatus.SHED);
    }
    chart.addSeries("arrivals", x, arrivals);
    chart.addSeries("OK (on time)", x, ok);
    chart.addSeries("late or failed", x, late);
    chart.addSeries("shed", x, shed);
    return chart;
  }

  /**
   * Per second, the arrivals the policy sent to each variant and those it shed, stacked: the bar's
   * height is the arrival rate, its colours the variant mix, so a policy that steps down in a burst
   * shows it.
   */
  static CategoryChart mixTimelineChart(PolicyResult result) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(900)
            .height(350)
            .title(result.policy() + ": variant chosen for each second's arrivals")
            .xAxisTitle("second of the run")
            .yAxisTitle("requests/s")
            .build();
    chart.getStyler().setStacked(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setXAxisLabelRotation(90);
    Timeline t = result.timeline();
    int n = Math.max(1, t.seconds());
    List<Integer> seconds = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      seconds.add(s);
    }
    List<String> variants = result.summary().variants();
    for (int v = 0; v < t.variants(); v++) {
      List<Long> sent = new ArrayList<>();
      for (int s = 0; s < n; s++) {
        sent.add(s < t.seconds() ? t.sentTo(s, v) : 0);
      }
      chart.addSeries(variants.get(v), seconds, sent);
    }
    List<Long> shed = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      shed.add(s < t.seconds() ? t.count(s, ResultStatus.SHED) : 0);
    }
    chart.addSeries("shed", seconds, shed);
    return chart;
  }

  /** One chart per policy, one below the other, in one PNG. */
  private static <C extends Chart<?, ?>> void saveStacked(
      List<PolicyResult> results, Function<PolicyResult, C> chart, Path file) {
    List<C> charts = results.stream().map(chart).toList();
    try {
      BitmapEncoder.saveBitmap(
          charts, charts.size(), 1, withoutExtension(file), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void save(CategoryChart chart, Path file) {
    try {
      BitmapEncoder.saveBitmap(chart, withoutExtension(file), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** XChart appends the format's extension itself. */
  private static String withoutExtension(Path file) {
    String name = file.toString();
    return name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
  }

  private static double share(long part, long whole) {
    return whole == 0 ? 0 : 100.0 * part / whole;
  }

  private static double zeroIfNaN(double v) {
    return Double.isNaN(v) ? 0 : v;
  }
}
