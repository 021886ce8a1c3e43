package io.surge.train;

import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.LatencyTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The named scenario sets of issue 7, in units of C ({@link
 * LatencyTable#referenceCapacityPerSecond()}): {@code train} (the only set anything may be tuned or
 * trained on; {@code train-wide} adds two light loads to it) and the evaluation scenarios {@code
 * E1}..{@code E4}, {@code S} and {@code L}, which must never be drawn in training. {@code train}
 * spans 0.3 C to 2.5 C, so it never leaves room for the largest variant (about 0.4 C at its best
 * batch in the shipped calibration); {@code train-wide}'s light entries (0.15 C, 0.1 / 0.6 C) and
 * {@code L} (the trace at 0.2 C) do. Each is a workload spec and a disturbance spec (or null), as
 * the commands take them on their command line.
 */
public final class Scenarios {

  /** The shared trace, relative to the repository root. */
  public static final String TRACE_FILE = "deploy/data/azure-llm-inference-conv-2023.csv";

  public static final String TRAIN = "train";

  public static final String TRAIN_WIDE = "train-wide";

  public static final List<String> EVALUATION = List.of("E1", "E2", "E3", "E4", "S", "L");

  /**
   * One scenario.
   *
   * @param label a short name for tables, e.g. {@code E1} or {@code mmpp-2phase-long}
   * @param workload a workload spec (DESIGN.md section 6), rates in requests/s
   * @param disturbances a disturbance spec, or null for none
   */
  public record Entry(String label, String workload, String disturbances) {}

  private Scenarios() {}

  public static List<String> names() {
    return List.of(TRAIN, TRAIN_WIDE, "E1", "E2", "E3", "E4", "S", "L");
  }

  /** The scenarios of a set for the default calibration's profile; the trace read from {@code .} */
  public static List<Entry> of(String name, LatencyTable latency) {
    return of(name, latency.referenceCapacityPerSecond(), Path.of(""));
  }

  /**
   * @param c the reference capacity C in requests/s
   * @param baseDir where {@link #TRACE_FILE} is resolved (its own mean rate sets the multiplier)
   * @throws IllegalArgumentException for an unknown name
   */
  public static List<Entry> of(String name, double c, Path baseDir) {
    Units u = new Units(c, baseDir);
    return switch (name) {
      case TRAIN ->
          List.of(
              new Entry("mmpp-2phase-long", u.mmpp(new double[] {0.4, 1.8}, "20/5"), null),
              new Entry("mmpp-3phase", u.mmpp(new double[] {0.3, 1.0, 2.5}, "30/10/4"), null),
              new Entry("mmpp-2phase-fast", u.mmpp(new double[] {0.6, 1.6}, "6/3"), null),
              new Entry("mmpp-2phase-calm", u.mmpp(new double[] {0.3, 1.1}, "60/15"), null),
              new Entry(
                  "slowdown-2.5x",
                  u.poisson(0.5),
                  "slowdown:server=1,factor=2.5,at=10,for=30;slowdown:server=0,factor=1.5,at=50,for=5"),
              new Entry(
                  "slowdown-4x-bursty",
                  u.mmpp(new double[] {0.4, 1.2}, "15/5"),
                  "slowdown:server=0,factor=4,at=15,for=10,every=40"),
              new Entry("trace-0.7C", u.trace(0.7), null));
      case TRAIN_WIDE -> {
        List<Entry> wide = new ArrayList<>(of(TRAIN, c, baseDir));
        wide.add(new Entry("poisson-0.15C", u.poisson(0.15), null));
        wide.add(new Entry("mmpp-2phase-light", u.mmpp(new double[] {0.1, 0.6}, "30/8"), null));
        yield List.copyOf(wide);
      }
      case "E1" -> List.of(new Entry("E1", u.mmpp(new double[] {0.5, 2.0}, "30/8"), null));
      case "E2" -> List.of(new Entry("E2", u.mmpp(new double[] {0.7, 1.4}, "10/10"), null));
      case "E3" -> List.of(new Entry("E3", u.trace(0.9), null));
      case "E4" ->
          List.of(
              new Entry("E4", u.poisson(0.6), "slowdown:server=1,factor=3,at=20,for=20,every=60"));
      case "S" -> List.of(new Entry("S", u.poisson(0.8), null));
      case "L" -> List.of(new Entry("L", u.trace(0.2), null));
      default ->
          throw new IllegalArgumentException(
              "unknown scenario set '" + name + "'; known: " + String.join(", ", names()));
    };
  }

  /** Spec text with rates in units of C. */
  private record Units(double c, Path baseDir) {

    String poisson(double rateC) {
      return "poisson:rate=" + hz(rateC);
    }

    String mmpp(double[] ratesC, String dwells) {
      StringBuilder rates = new StringBuilder();
      for (double r : ratesC) {
        rates.append(rates.isEmpty() ? "" : "/").append(hz(r));
      }
      return "mmpp:rates=" + rates + ",dwell=" + dwells;
    }

    /** The trace with the multiplier that makes its mean rate {@code meanC} C. */
    String trace(double meanC) {
      double ownRate = WorkloadSpec.parse("trace:" + TRACE_FILE, baseDir).meanRate();
      return "trace:" + TRACE_FILE + ",rate=" + format(meanC * c / ownRate);
    }

    private String hz(double rateC) {
      return format(rateC * c);
    }

    private static String format(double x) {
      return String.format(Locale.ROOT, "%.4f", x).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
  }
}
