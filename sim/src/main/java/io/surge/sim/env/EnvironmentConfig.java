package io.surge.sim.env;

import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.disturb.RandomDisturbances;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.sim.workload.WorkloadSpec;
import java.util.List;

/**
 * What an {@link EdgeServingEnvironment} trains on.
 *
 * @param simulator the service, calibration, estimator settings (history length), privileged
 *     features on/off and rewards
 * @param workloads each episode draws one, by its seed
 * @param disturbances applied to every episode, unless {@code randomDisturbances} is set
 * @param randomDisturbances when not null, each episode draws its own disturbances by its seed
 * @param episodeSeconds simulated time during which requests are created; the episode then drains
 * @param warmUp episodes draw from its workloads instead until the environment has taken its number
 *     of steps (a curriculum); null: none
 */
public record EnvironmentConfig(
    SimulatorConfig simulator,
    List<WorkloadSpec> workloads,
    DisturbanceSpec disturbances,
    RandomDisturbances randomDisturbances,
    double episodeSeconds,
    WarmUp warmUp) {

  /**
   * The first episodes of a curriculum: drawn from {@code workloads} until the environment has
   * taken {@code steps} steps (an episode under way when that happens runs to its end).
   */
  public record WarmUp(List<WorkloadSpec> workloads, long steps) {
    public WarmUp {
      workloads = List.copyOf(workloads);
      if (workloads.isEmpty() || steps <= 0) {
        throw new IllegalArgumentException("a warm-up needs workloads and a positive step count");
      }
    }
  }

  public EnvironmentConfig(
      SimulatorConfig simulator,
      List<WorkloadSpec> workloads,
      DisturbanceSpec disturbances,
      RandomDisturbances randomDisturbances,
      double episodeSeconds) {
    this(simulator, workloads, disturbances, randomDisturbances, episodeSeconds, null);
  }

  public EnvironmentConfig {
    workloads = List.copyOf(workloads);
    if (workloads.isEmpty()) {
      throw new IllegalArgumentException("an environment needs at least one workload");
    }
    if (disturbances == null) {
      disturbances = DisturbanceSpec.NONE;
    }
    if (!(episodeSeconds > 0) || !Double.isFinite(episodeSeconds)) {
      throw new IllegalArgumentException("episode length must be a positive number of seconds");
    }
  }

  /** Undisturbed episodes of one workload. */
  public static EnvironmentConfig of(
      SimulatorConfig simulator, WorkloadSpec workload, double episodeSeconds) {
    return new EnvironmentConfig(
        simulator, List.of(workload), DisturbanceSpec.NONE, null, episodeSeconds);
  }

  public EnvironmentConfig withRandomDisturbances(RandomDisturbances random) {
    return new EnvironmentConfig(
        simulator, workloads, disturbances, random, episodeSeconds, warmUp);
  }

  public EnvironmentConfig withDisturbances(DisturbanceSpec spec) {
    return new EnvironmentConfig(
        simulator, workloads, spec, randomDisturbances, episodeSeconds, warmUp);
  }
}
