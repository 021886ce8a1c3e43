package io.surge.train.nn;

import java.util.function.ToDoubleFunction;

/** Central finite differences against an analytic gradient, for tests. */
public final class GradientCheck {

  /** Step of the central difference: truncation error ~h^2, rounding ~1e-16 / h. */
  private static final double H = 1e-6;

  /**
   * Gradients this small are compared absolutely: below it, finite-difference rounding (about 1e-10
   * here) dominates any relative measure.
   */
  private static final double SCALE_FLOOR = 1e-4;

  private GradientCheck() {}

  /**
   * The largest relative error {@code |analytic - numeric| / max(|analytic|, |numeric|, floor)}
   * over all parameters; {@code loss} reads {@code parameters}, which this perturbs and restores.
   */
  public static double maxRelativeError(
      double[] parameters, double[] analytic, ToDoubleFunction<double[]> loss) {
    double worst = 0;
    for (int i = 0; i < parameters.length; i++) {
      double saved = parameters[i];
      parameters[i] = saved + H;
      double up = loss.applyAsDouble(parameters);
      parameters[i] = saved - H;
      double down = loss.applyAsDouble(parameters);
      parameters[i] = saved;
      double numeric = (up - down) / (2 * H);
      double scale = Math.max(SCALE_FLOOR, Math.max(Math.abs(analytic[i]), Math.abs(numeric)));
      worst = Math.max(worst, Math.abs(analytic[i] - numeric) / scale);
    }
    return worst;
  }
}
