package io.surge.cli.demo;

import io.surge.serving.profile.Profiler;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the demo sets up its emulated accelerators and its workload: the devices hold each batch for
 * the real models' measured server compute times a slow-down factor K, and the workload is an MMPP
 * calibrated from the emulated <em>batched</em> capacity, so that the choice of variant decides the
 * outcome:
 *
 * <ul>
 *   <li>a variant's capacity is what the servers complete per second at the best batch size whose
 *       execution takes at most {@value #FEASIBLE_SHARE} of the deadline (a larger batch would
 *       leave no room for queueing, Kafka and Flink);
 *   <li>calm phases ask for {@value #CALM_SHARE} of the largest variant's capacity (it keeps up);
 *   <li>bursts ask for {@value #BURST_OVER_LARGEST}x the largest variant's capacity but at most
 *       {@value #BURST_UNDER_SMALLEST} of the smallest's (the largest falls behind, the smallest
 *       keeps up);
 *   <li>K is the smallest factor (from 1, in steps of {@value #SCALE_STEP}) at which the bursts
 *       stay within {@value #JOB_SHARE} of what the scheduling job carries on 2 cores ({@value
 *       #JOB_RESULTS_PER_S} results/s, the middle of the 500-1,700 measured in docs/BENCHMARKS.md),
 *       so that the devices, not the pipeline, decide the outcome.
 * </ul>
 */
public final class EmulationCalibration {

  static final double FEASIBLE_SHARE = 0.4;
  static final double CALM_SHARE = 0.35;
  static final double BURST_OVER_LARGEST = 2.0;
  static final double BURST_UNDER_SMALLEST = 0.7;
  static final double JOB_RESULTS_PER_S = 1000;
  static final double JOB_SHARE = 0.25;
  static final double MIN_SCALE = 0.05;
  static final double SCALE_STEP = 1.02;
  static final double MAX_SCALE = 50;
  static final double CALM_DWELL_S = 10;
  static final double BURST_DWELL_S = 5;

  /** The server name the device profile's rows carry. */
  public static final String DEVICE = "device";

  private EmulationCalibration() {}

  /**
   * The chosen setup.
   *
   * @param scale K, the devices' slow-down of the measured compute
   * @param largestCapacity requests/s all servers complete with the largest variant (batched)
   * @param largestBatch the batch size that capacity is reached at
   * @param smallestCapacity the same for the smallest variant
   * @param smallestBatch its batch size
   * @param withinBudget whether the bursts stay within the job's share (else K is the largest
   *     factor at which the largest variant can still meet the deadline, and the report says so)
   */
  public record Calibrated(
      WorkloadSpec spec,
      double scale,
      boolean automatic,
      int servers,
      double largestCapacity,
      int largestBatch,
      double smallestCapacity,
      int smallestBatch,
      double calm,
      double burst,
      boolean withinBudget) {

    public String explain() {
      return String.format(
          Locale.ROOT,
          "emulated devices at %.3gx the measured compute (%s); batched capacity of the %d servers"
              + " within %.0f%% of the deadline: largest variant ~%.0f req/s (batches of %d),"
              + " smallest ~%.0f req/s (batches of %d); calm phases ask for %.0f%% of the"
              + " largest's capacity, bursts for %.1fx it (%.0f%% of the smallest's), %s %.0f"
              + " req/s (%.0f%% of the job's ~%.0f results/s on 2 cores)",
          scale,
          automatic ? "chosen automatically" : "given with --emulation-scale",
          servers,
          FEASIBLE_SHARE * 100,
          largestCapacity,
          largestBatch,
          smallestCapacity,
          smallestBatch,
          100 * calm / largestCapacity,
          burst / largestCapacity,
          100 * burst / smallestCapacity,
          withinBudget ? "within the budget of" : "ABOVE the budget of",
          JOB_SHARE * JOB_RESULTS_PER_S,
          100 * JOB_SHARE,
          JOB_RESULTS_PER_S);
    }
  }

  /**
   * The device profile: the servers' own mean execution time per model and batch (no protocol, no
   * queueing), from one profiling run on ONNX Runtime; the round trips where the server reported no
   * statistics.
   */
  public static LatencyProfile deviceProfile(Profiler.Result measured) {
    List<LatencyProfile.Entry> entries = new ArrayList<>();
    if (measured.serverCompute().isEmpty()) {
      for (LatencyProfile.Entry e : measured.profile().entries()) {
        entries.add(
            new LatencyProfile.Entry(
                DEVICE, e.model(), e.batch(), e.medianMs(), e.p95Ms(), e.samples()));
      }
    } else {
      for (Profiler.ServerCompute c : measured.serverCompute()) {
        entries.add(
            new LatencyProfile.Entry(
                DEVICE, c.model(), c.batch(), c.meanMs(), c.meanMs(), (int) c.executions()));
      }
    }
    return new LatencyProfile(
        measured.profile().createdAt(),
        "device time: the embedded server's own mean execution time per batch on ONNX Runtime"
            + " (surge demo), without protocol or queueing",
        entries);
  }

  /**
   * Chooses K (or takes {@code fixedScale} when positive) and the workload.
   *
   * @param device the device profile ({@link #deviceProfile})
   * @param batches the batch sizes the servers can form (profiled ones)
   */
  public static Calibrated calibrate(
      LatencyProfile device,
      Catalog.Service service,
      int servers,
      int deadlineMs,
      List<Integer> batches,
      double fixedScale) {
    String smallest = service.variants().get(0).model();
    String largest = service.variants().get(service.variants().size() - 1).model();
    Calibrated best = null;
    if (fixedScale > 0) {
      best = at(device, smallest, largest, servers, deadlineMs, batches, fixedScale, false);
      if (best == null) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "at an emulation scale of %.2f the largest variant cannot meet the %d ms"
                    + " deadline even alone",
                fixedScale,
                deadlineMs));
      }
      return best;
    }
    Calibrated lastFeasible = null;
    for (double raw = MIN_SCALE; raw <= MAX_SCALE; raw *= SCALE_STEP) {
      double k = Math.round(raw * 1000) / 1000.0;
      Calibrated c = at(device, smallest, largest, servers, deadlineMs, batches, k, true);
      if (c == null) {
        if (lastFeasible != null) {
          break; // the largest variant no longer meets the deadline: larger K only makes it worse
        }
        continue;
      }
      lastFeasible = c;
      if (c.withinBudget()) {
        return c;
      }
    }
    if (lastFeasible == null) {
      throw new IllegalArgumentException(
          "the largest variant cannot meet the " + deadlineMs + " ms deadline at any scale");
    }
    return lastFeasible;
  }

  private static Calibrated at(
      LatencyProfile device,
      String smallest,
      String largest,
      int servers,
      int deadlineMs,
      List<Integer> batches,
      double k,
      boolean automatic) {
    double[] large = capacity(device, largest, deadlineMs, batches, k);
    double[] small = capacity(device, smallest, deadlineMs, batches, k);
    if (large == null || small == null) {
      return null;
    }
    double capLarge = servers * large[0];
    double capSmall = servers * small[0];
    double calm = Math.max(1, Math.round(CALM_SHARE * capLarge));
    double burst =
        Math.max(
            calm + 1,
            Math.round(Math.min(BURST_OVER_LARGEST * capLarge, BURST_UNDER_SMALLEST * capSmall)));
    boolean within = burst <= JOB_SHARE * JOB_RESULTS_PER_S;
    String spec =
        String.format(
            Locale.ROOT,
            "mmpp:rates=%.0f/%.0f,dwell=%.0f/%.0f",
            calm,
            burst,
            CALM_DWELL_S,
            BURST_DWELL_S);
    return new Calibrated(
        WorkloadSpec.parse(spec),
        k,
        automatic,
        servers,
        capLarge,
        (int) large[1],
        capSmall,
        (int) small[1],
        calm,
        burst,
        within);
  }

  /** {requests/s of one server, batch size} at the best feasible batch; null if none is. */
  private static double[] capacity(
      LatencyProfile device, String model, int deadlineMs, List<Integer> batches, double k) {
    double best = 0;
    int bestBatch = 0;
    for (int b : batches) {
      double ms = k * device.medianMs(DEVICE, model, b);
      if (ms > 0 && ms <= FEASIBLE_SHARE * deadlineMs) {
        double perSecond = 1000.0 * b / ms;
        if (perSecond > best) {
          best = perSecond;
          bestBatch = b;
        }
      }
    }
    return bestBatch == 0 ? null : new double[] {best, bestBatch};
  }
}
