package io.surge.jobs.demo;

import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.util.List;
import java.util.Locale;

/**
 * The demo's default workload, derived from the measured profile rather than fixed rates, so the
 * same command makes the point on a laptop and on a server: an MMPP whose calm phase loads the
 * servers to {@value #CALM_LOAD} of what they can serve with the largest variant, and whose bursts
 * ask for {@value #BURST_LOAD} times that. Serving everything with the largest variant then keeps
 * up between bursts and falls behind in them; smaller variants can keep up throughout.
 */
public final class WorkloadCalibration {

  static final double CALM_LOAD = 0.4;
  static final double BURST_LOAD = 2.5;
  static final double CALM_DWELL_S = 10;
  static final double BURST_DWELL_S = 5;

  private WorkloadCalibration() {}

  /**
   * The calibrated workload and the capacity it is based on.
   *
   * @param largestCapacity requests/s the servers sustain with the largest variant
   * @param batch the batch size that capacity assumes
   */
  public record Calibrated(WorkloadSpec spec, double largestCapacity, int batch) {
    public String explain() {
      return String.format(
          Locale.ROOT,
          "largest variant sustains ~%.0f req/s (batch %d within half the deadline); calm at %.0f%%"
              + " of it, bursts at %.1fx",
          largestCapacity,
          batch,
          CALM_LOAD * 100,
          BURST_LOAD);
    }
  }

  /**
   * Calibrates from the profile of the largest variant of the service.
   *
   * @param parallelServers servers that can compute at the same time (at most the cores)
   */
  public static Calibrated calibrate(
      LatencyProfile profile, Catalog.Service service, int parallelServers) {
    List<Catalog.Variant> variants = service.variants();
    String largest = variants.get(variants.size() - 1).model();
    Throughput best = bestThroughput(profile, largest, service.deadlineMs() / 2.0);
    double capacity = parallelServers * best.perSecond();
    double calm = Math.max(1, Math.round(CALM_LOAD * capacity));
    double burst = Math.max(calm + 1, Math.round(BURST_LOAD * capacity));
    String spec =
        String.format(
            Locale.ROOT,
            "mmpp:rates=%.0f/%.0f,dwell=%.0f/%.0f",
            calm,
            burst,
            CALM_DWELL_S,
            BURST_DWELL_S);
    return new Calibrated(WorkloadSpec.parse(spec), capacity, best.batch());
  }

  /**
   * The highest batch throughput of a model among the profiled batch sizes whose latency fits the
   * budget (queueing needs the rest of the deadline); batch 1 when none fits.
   */
  static Throughput bestThroughput(LatencyProfile profile, String model, double budgetMs) {
    Throughput best = null;
    for (LatencyProfile.Entry e : profile.entries()) {
      if (!e.model().equals(model) || e.medianMs() <= 0) {
        continue;
      }
      Throughput t = new Throughput(e.batch(), e.batch() * 1000.0 / e.medianMs());
      boolean fits = e.medianMs() <= budgetMs || e.batch() == 1;
      if (fits && (best == null || t.perSecond() > best.perSecond())) {
        best = t;
      }
    }
    if (best == null) {
      throw new IllegalArgumentException("model '" + model + "' is not in the profile");
    }
    return best;
  }

  record Throughput(int batch, double perSecond) {}
}
