package io.surge.sim.workload;

import java.util.ArrayList;
import java.util.List;

/** Test helpers that drain an arrival process. */
final class Arrivals {

  private Arrivals() {}

  static long countUntil(ArrivalProcess process, double horizon) {
    long n = 0;
    while (process.nextArrival() < horizon) {
      n++;
    }
    return n;
  }

  /** Every arrival before the horizon with the hidden state seen at it. */
  static List<double[]> withHiddenState(ArrivalProcess process, double horizon) {
    List<double[]> out = new ArrayList<>();
    for (double t = process.nextArrival(); t < horizon; t = process.nextArrival()) {
      out.add(new double[] {t, process.hiddenState(), process.hiddenRate()});
    }
    return out;
  }

  static double[] drain(ArrivalProcess process) {
    List<Double> out = new ArrayList<>();
    for (double t = process.nextArrival();
        t != Double.POSITIVE_INFINITY;
        t = process.nextArrival()) {
      out.add(t);
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
