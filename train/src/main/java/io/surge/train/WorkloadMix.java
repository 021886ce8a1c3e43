package io.surge.train;

import io.surge.sim.workload.WorkloadSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * How often each training workload is drawn. An episode draws one workload of the plan's list
 * uniformly and lasts a fixed time, so a workload's share of the training decisions grows with its
 * rate: in the {@code train} set the light-load entries (0.15 C, 0.2 C) would give about 4 % of the
 * decisions, too few for PPO to learn the largest variant there. Balancing repeats each workload in
 * inverse proportion to its mean rate, so that each gives about the same number of decisions.
 */
public final class WorkloadMix {

  /** No workload is repeated more often than this, whatever its rate. */
  static final int MAX_REPEATS = 8;

  private WorkloadMix() {}

  /**
   * The list with each workload repeated round(fastest mean rate / its mean rate) times (1 to
   * {@value #MAX_REPEATS}), in the given order.
   */
  public static List<WorkloadSpec> balancedByDecisions(List<WorkloadSpec> workloads) {
    double fastest = workloads.stream().mapToDouble(WorkloadSpec::meanRate).max().orElseThrow();
    List<WorkloadSpec> mix = new ArrayList<>();
    for (WorkloadSpec w : workloads) {
      long repeats = Math.round(fastest / w.meanRate());
      for (long i = 0; i < Math.max(1, Math.min(MAX_REPEATS, repeats)); i++) {
        mix.add(w);
      }
    }
    return mix;
  }
}
