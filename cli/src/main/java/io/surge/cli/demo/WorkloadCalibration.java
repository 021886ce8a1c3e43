package io.surge.cli.demo;

import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.util.List;
import java.util.Locale;

/**
 * The demo's default workload, derived from the measured profile rather than fixed rates, so the
 * same command makes the point on a laptop and on a server: an MMPP whose calm phase asks for
 * {@value #CALM_LOAD} of what the servers serve with the largest variant one request at a time, and
 * whose bursts ask for {@value #BURST_LOAD} times that. Serving everything with the largest variant
 * then keeps up between bursts and falls behind in them; smaller variants keep up.
 *
 * <p>The capacity is counted at batch 1: batching adds throughput only once queues are long, which
 * is when deadlines are already at risk, and the profile (one request in flight on an otherwise
 * idle server) is optimistic once Kafka and Flink share the machine.
 */
public final class WorkloadCalibration {

  static final double CALM_LOAD = 0.6;
  static final double BURST_LOAD = 3.0;
  static final double CALM_DWELL_S = 10;
  static final double BURST_DWELL_S = 5;

  private WorkloadCalibration() {}

  /**
   * The calibrated workload and the capacity it is based on.
   *
   * @param largestCapacity requests/s the servers serve with the largest variant, one at a time
   * @param batch the batch size that capacity is counted at (1)
   */
  public record Calibrated(WorkloadSpec spec, double largestCapacity, int batch) {
    public String explain() {
      return String.format(
          Locale.ROOT,
          "the servers serve ~%.0f req/s with the largest variant (batches of %d); calm phases ask"
              + " for %.0f%% of that, bursts for %.1fx",
          largestCapacity,
          batch,
          CALM_LOAD * 100,
          BURST_LOAD);
    }
  }

  /**
   * Calibrates from the profile of the largest variant of the service.
   *
   * @param server the profiled server
   * @param parallelServers servers that can compute at the same time (the demo counts half the
   *     cores: Kafka, Flink and the load generator need the rest)
   */
  public static Calibrated calibrate(
      LatencyProfile profile, Catalog.Service service, String server, int parallelServers) {
    if (parallelServers < 1) {
      throw new IllegalArgumentException("need at least one server, got " + parallelServers);
    }
    List<Catalog.Variant> variants = service.variants();
    String largest = variants.get(variants.size() - 1).model();
    Throughput best = new Throughput(1, 1000.0 / profile.medianMs(server, largest, 1));
    double capacity = parallelServers * best.perSecond();
    long calm = Math.max(1, Math.round(CALM_LOAD * capacity));
    long burst = Math.max(calm + 1, Math.round(BURST_LOAD * capacity));
    String spec =
        String.format(
            Locale.ROOT,
            "mmpp:rates=%d/%d,dwell=%.0f/%.0f",
            calm,
            burst,
            CALM_DWELL_S,
            BURST_DWELL_S);
    return new Calibrated(WorkloadSpec.parse(spec), capacity, best.batch());
  }

  /** Requests/s of a model at a batch size. */
  record Throughput(int batch, double perSecond) {}
}
