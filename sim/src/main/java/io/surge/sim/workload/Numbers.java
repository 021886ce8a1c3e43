package io.surge.sim.workload;

/** Number formatting for canonical specs: no trailing {@code .0}. */
final class Numbers {

  private Numbers() {}

  static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  static String join(double[] values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      sb.append(i == 0 ? "" : "/").append(format(values[i]));
    }
    return sb.toString();
  }
}
