package io.surge.train.eval;

/** The two-sided 95 % quantile of Student's t distribution, for confidence intervals over seeds. */
final class StudentT {

  /** t(0.975, df) for df = 1..30 (standard tables). */
  private static final double[] QUANTILE_975 = {
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
    2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
    2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423
  };

  private static final double Z_975 = 1.959964;

  private StudentT() {}

  /** t(0.975, df); beyond the table a Cornish-Fisher expansion around the normal (error < 1e-4). */
  static double quantile975(int degreesOfFreedom) {
    if (degreesOfFreedom < 1) {
      throw new IllegalArgumentException("degrees of freedom must be >= 1: " + degreesOfFreedom);
    }
    if (degreesOfFreedom <= QUANTILE_975.length) {
      return QUANTILE_975[degreesOfFreedom - 1];
    }
    double z = Z_975;
    double n = degreesOfFreedom;
    double z3 = z * z * z;
    double z5 = z3 * z * z;
    double z7 = z5 * z * z;
    return z
        + (z3 + z) / (4 * n)
        + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n)
        + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n);
  }
}
