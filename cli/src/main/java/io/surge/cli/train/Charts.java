package io.surge.cli.train;

import io.surge.train.eval.EvaluationResult;
import io.surge.train.eval.PolicyResult;
import io.surge.train.ppo.LearningCurve;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/** The PNG plots of {@code surge train} (learning curve) and {@code surge evaluate} (accuracy). */
public final class Charts {

  private Charts() {}

  /** Mean reward per decision against environment steps, one point per PPO update. */
  public static void learningCurve(LearningCurve curve, Path file) {
    XYChart chart =
        new XYChartBuilder()
            .width(800)
            .height(500)
            .title("Learning curve")
            .xAxisTitle("environment steps")
            .yAxisTitle("mean reward per decision (accuracy units)")
            .build();
    chart.getStyler().setLegendVisible(false).setMarkerSize(3);
    List<Double> steps = new ArrayList<>();
    List<Double> rewards = new ArrayList<>();
    for (LearningCurve.Point p : curve.points()) {
      steps.add((double) p.environmentSteps());
      rewards.add(p.meanReward());
    }
    if (steps.isEmpty()) {
      steps.add(0.0);
      rewards.add(0.0);
    }
    chart.addSeries("reward", steps, rewards);
    save(chart, file);
  }

  /** Effective accuracy per policy (argmax mode for models) with 95 % CI error bars. */
  public static void effectiveAccuracy(EvaluationResult result, Path file) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(900)
            .height(500)
            .title("Effective accuracy, mean over seeds with 95 % CI")
            .xAxisTitle("policy")
            .yAxisTitle("effective accuracy (%)")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    List<String> names = new ArrayList<>();
    List<Double> means = new ArrayList<>();
    List<Double> errors = new ArrayList<>();
    for (PolicyResult policy : result.policies()) {
      names.add(policy.token());
      means.add(percent(policy.headline().effectiveAccuracy().mean()));
      errors.add(percent(policy.headline().effectiveAccuracy().ci95()));
    }
    chart.addSeries("effective accuracy (late, failed, shed = wrong)", names, means, errors);
    save(chart, file);
  }

  private static double percent(double fraction) {
    return Double.isFinite(fraction) ? fraction * 100 : 0;
  }

  private static void save(Chart<?, ?> chart, Path file) {
    // drawn off-screen: no display is needed on a server
    System.setProperty("java.awt.headless", "true");
    String name = file.toString();
    // XChart appends the format's extension itself
    String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    try {
      BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
