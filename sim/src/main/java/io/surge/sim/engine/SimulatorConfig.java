package io.surge.sim.engine;

import io.surge.state.EstimatorSettings;
import io.surge.state.Rewards;
import io.surge.state.ServerHealthView;
import io.surge.state.catalog.Catalog;

/**
 * What a {@link Simulator} models: one service of a catalog on its servers, timed by a calibration.
 *
 * @param latencyScale multiplies every execution time of the calibration's profile (the demo
 *     emulates the measured profile slowed by a scale)
 * @param estimators the scheduler's estimator and history settings (they shape the observation)
 * @param privileged append the simulator-only features of {@link PrivilegedFeatures} to every
 *     observation (the {@code oracle} baseline; a different spec hash)
 * @param executionJitter draw execution times around the profile's median from its p95
 *     (log-normal); off: every execution takes the median
 * @param failuresToTrip consecutive FAILED completions after which the scheduler masks a server
 * @param coolDownMillis how long it stays masked before the scheduler tries it again
 */
public record SimulatorConfig(
    Catalog catalog,
    String service,
    Calibration calibration,
    double latencyScale,
    EstimatorSettings estimators,
    BatcherSettings batcher,
    Rewards rewards,
    boolean privileged,
    boolean executionJitter,
    int failuresToTrip,
    long coolDownMillis) {

  public SimulatorConfig {
    if (catalog.service(service) == null) {
      throw new IllegalArgumentException("service '" + service + "' is not in the catalog");
    }
    if (!(latencyScale > 0) || !Double.isFinite(latencyScale)) {
      throw new IllegalArgumentException("latency scale must be a positive number");
    }
    if (failuresToTrip < 1 || coolDownMillis < 0) {
      throw new IllegalArgumentException("failuresToTrip >= 1 and coolDownMillis >= 0 needed");
    }
  }

  /** The scheduler's defaults for one service of a catalog with a calibration. */
  public static SimulatorConfig of(Catalog catalog, String service, Calibration calibration) {
    return new SimulatorConfig(
        catalog,
        service,
        calibration,
        1.0,
        EstimatorSettings.defaults(),
        BatcherSettings.defaults(),
        Rewards.EFFECTIVE_ACCURACY,
        false,
        true,
        ServerHealthView.DEFAULT_FAILURES_TO_TRIP,
        ServerHealthView.DEFAULT_COOL_DOWN_MILLIS);
  }

  /** The shipped calibration and its catalog's only service. */
  public static SimulatorConfig defaults() {
    Catalog catalog = Calibration.defaultCatalog();
    return of(catalog, catalog.services().get(0).name(), Calibration.defaults());
  }

  public SimulatorConfig withLatencyScale(double scale) {
    return new SimulatorConfig(
        catalog,
        service,
        calibration,
        scale,
        estimators,
        batcher,
        rewards,
        privileged,
        executionJitter,
        failuresToTrip,
        coolDownMillis);
  }

  public SimulatorConfig withEstimators(EstimatorSettings settings) {
    return new SimulatorConfig(
        catalog,
        service,
        calibration,
        latencyScale,
        settings,
        batcher,
        rewards,
        privileged,
        executionJitter,
        failuresToTrip,
        coolDownMillis);
  }

  public SimulatorConfig withPrivileged(boolean on) {
    return new SimulatorConfig(
        catalog,
        service,
        calibration,
        latencyScale,
        estimators,
        batcher,
        rewards,
        on,
        executionJitter,
        failuresToTrip,
        coolDownMillis);
  }

  public SimulatorConfig withRewards(Rewards settings) {
    return new SimulatorConfig(
        catalog,
        service,
        calibration,
        latencyScale,
        estimators,
        batcher,
        settings,
        privileged,
        executionJitter,
        failuresToTrip,
        coolDownMillis);
  }

  public SimulatorConfig withBatcher(BatcherSettings settings) {
    return new SimulatorConfig(
        catalog,
        service,
        calibration,
        latencyScale,
        estimators,
        settings,
        rewards,
        privileged,
        executionJitter,
        failuresToTrip,
        coolDownMillis);
  }

  public SimulatorConfig withExecutionJitter(boolean on) {
    return new SimulatorConfig(
        catalog,
        service,
        calibration,
        latencyScale,
        estimators,
        batcher,
        rewards,
        privileged,
        on,
        failuresToTrip,
        coolDownMillis);
  }
}
