package io.surge.train;

import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.disturb.RandomDisturbances;
import io.surge.sim.engine.Calibration;
import io.surge.sim.engine.Scenario;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.sim.env.EnvironmentConfig;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.EstimatorSettings;
import io.surge.state.Rewards;
import io.surge.state.catalog.Catalog;
import io.surge.train.ppo.PpoConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a training run depends on; the same plan gives the same policy, bit for bit, unless
 * the wall-clock cap is what stops it.
 *
 * @param calibration the simulator's profile and overhead distributions
 * @param catalog the catalog holding {@code service} (its variants are the policy's actions)
 * @param workloads each episode draws one of them by its seed
 * @param disturbances applied to every episode, unless {@code randomSlowdowns} is set
 * @param randomSlowdowns when not null, each episode draws its own slow-down
 * @param episodeSeconds simulated seconds of arrivals per episode
 * @param estimators estimator settings, the observation history length among them
 * @param privileged train on the simulator-only features as well (the {@code oracle})
 * @param rewards the rewards training optimises: effective accuracy, or with a late/failed penalty
 *     as shaping (evaluation always scores effective accuracy)
 * @param teacher a baseline whose decisions the policy imitates before PPO (behaviour cloning, a
 *     warm start), or null to start PPO from a uniform policy
 * @param steps environment-step budget (rounded up to whole PPO updates)
 * @param wallClockCap stops training early when it has passed; null: no cap
 * @param warmUp a curriculum's first workloads and their step budget (of all environments together,
 *     within {@code steps}); null: none
 */
public record TrainingPlan(
    Calibration calibration,
    Catalog catalog,
    String service,
    List<WorkloadSpec> workloads,
    DisturbanceSpec disturbances,
    RandomDisturbances randomSlowdowns,
    double episodeSeconds,
    EstimatorSettings estimators,
    boolean privileged,
    Rewards rewards,
    String teacher,
    PpoConfig ppo,
    long steps,
    long seed,
    Duration wallClockCap,
    EnvironmentConfig.WarmUp warmUp) {

  public static final double DEFAULT_EPISODE_SECONDS = 60;

  public TrainingPlan {
    workloads = List.copyOf(workloads);
    if (workloads.isEmpty()) {
      throw new IllegalArgumentException("training needs at least one workload");
    }
    if (disturbances == null) {
      disturbances = DisturbanceSpec.NONE;
    }
    if (rewards == null) {
      rewards = Rewards.EFFECTIVE_ACCURACY;
    }
    if (steps <= 0) {
      throw new IllegalArgumentException("the step budget must be positive: " + steps);
    }
  }

  /**
   * The shipped calibration and catalog, undisturbed episodes of {@value #DEFAULT_EPISODE_SECONDS}
   * s, default estimators and PPO settings.
   */
  public static TrainingPlan of(List<WorkloadSpec> workloads, long steps, long seed) {
    Catalog catalog = Calibration.defaultCatalog();
    return new TrainingPlan(
        Calibration.defaults(),
        catalog,
        catalog.services().get(0).name(),
        workloads,
        DisturbanceSpec.NONE,
        null,
        DEFAULT_EPISODE_SECONDS,
        EstimatorSettings.defaults(),
        false,
        Rewards.EFFECTIVE_ACCURACY,
        null,
        edgeServingPpo(),
        steps,
        seed,
        null,
        null);
  }

  public TrainingPlan withPpo(PpoConfig config) {
    return new TrainingPlan(
        calibration,
        catalog,
        service,
        workloads,
        disturbances,
        randomSlowdowns,
        episodeSeconds,
        estimators,
        privileged,
        rewards,
        teacher,
        config,
        steps,
        seed,
        wallClockCap,
        warmUp);
  }

  public TrainingPlan withEstimators(EstimatorSettings settings) {
    return new TrainingPlan(
        calibration,
        catalog,
        service,
        workloads,
        disturbances,
        randomSlowdowns,
        episodeSeconds,
        settings,
        privileged,
        rewards,
        teacher,
        ppo,
        steps,
        seed,
        wallClockCap,
        warmUp);
  }

  public TrainingPlan withSeed(long value) {
    return new TrainingPlan(
        calibration,
        catalog,
        service,
        workloads,
        disturbances,
        randomSlowdowns,
        episodeSeconds,
        estimators,
        privileged,
        rewards,
        teacher,
        ppo,
        steps,
        value,
        wallClockCap,
        warmUp);
  }

  public TrainingPlan withEpisodeSeconds(double seconds) {
    return new TrainingPlan(
        calibration,
        catalog,
        service,
        workloads,
        disturbances,
        randomSlowdowns,
        seconds,
        estimators,
        privileged,
        rewards,
        teacher,
        ppo,
        steps,
        seed,
        wallClockCap,
        warmUp);
  }

  /**
   * PPO settings for the edge-serving environment: 16 environments of 256 decisions per update, so
   * that one update sees many workloads and phases at once (2 of 1024 saw one phase of one
   * workload, and the policy chased it); rewards in fractions (accuracies are in percent); a
   * discount in simulated time with a horizon of 0.5 s (a per-decision horizon of 200 decisions
   * lasted only 55 ms in a 2 C burst, less than a deadline, and that policy never learned to shed
   * there); a larger entropy bonus against early collapse on one variant.
   */
  public static PpoConfig edgeServingPpo() {
    return PpoConfig.defaults().toBuilder()
        .environments(16)
        .rolloutDecisions(256)
        .minibatchSize(512)
        .epochs(4)
        .gamma(0.995) // used only with discountSeconds 0: the first shipped policy's recipe
        .discountSeconds(0.5)
        .entropyCoefficient(0.03)
        .rewardScale(0.01)
        .build();
  }

  /**
   * The simulator this plan trains in: the evaluation builds the same one, except for the rewards,
   * which it leaves at effective accuracy.
   */
  public SimulatorConfig simulatorConfig() {
    return SimulatorConfig.of(catalog, service, calibration)
        .withEstimators(estimators)
        .withPrivileged(privileged)
        .withRewards(rewards);
  }

  public EnvironmentConfig environmentConfig() {
    EnvironmentConfig.WarmUp perEnvironment =
        warmUp == null
            ? null
            : new EnvironmentConfig.WarmUp(
                warmUp.workloads(), Math.max(1, warmUp.steps() / ppo.environments()));
    return new EnvironmentConfig(
        simulatorConfig(),
        workloads,
        disturbances,
        randomSlowdowns,
        episodeSeconds,
        perEnvironment);
  }

  /**
   * The episodes the teacher is recorded on: each workload twice, undisturbed and with this plan's
   * disturbances (random slow-downs when they are on), seeded from the plan's seed.
   */
  public List<Scenario> demonstrationEpisodes() {
    List<Scenario> episodes = new ArrayList<>();
    long seed = this.seed;
    int servers = catalog.servers().size();
    for (WorkloadSpec workload : workloads) {
      episodes.add(new Scenario(workload, DisturbanceSpec.NONE, episodeSeconds, ++seed));
      DisturbanceSpec disturbed =
          randomSlowdowns != null
              ? randomSlowdowns.draw(seed, servers, episodeSeconds)
              : disturbances;
      episodes.add(new Scenario(workload, disturbed, episodeSeconds, ++seed));
    }
    return episodes;
  }

  /** The workloads (and disturbances) as one line, for the model's {@code surge.trained_on}. */
  public String describeWorkloads() {
    String text = String.join(";", workloads.stream().map(WorkloadSpec::toSpec).toList());
    if (warmUp != null) {
      text =
          String.join(";", warmUp.workloads().stream().map(WorkloadSpec::toSpec).toList())
              + " for "
              + warmUp.steps()
              + " steps, then "
              + text;
    }
    if (randomSlowdowns != null) {
      return text + " + random slow-downs";
    }
    return disturbances.isEmpty() ? text : text + " + " + disturbances.toSpec();
  }
}
