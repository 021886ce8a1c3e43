package io.surge.train.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.surge.policy.baseline.LargestPolicy;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.engine.Calibration;
import io.surge.sim.engine.Scenario;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.catalog.Catalog;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The live calibration on synthetic completions drawn like the job's: the calibration's overheads,
 * the profile's execution time times the server's true factor, inflated by batching, plus queueing;
 * and on a simulated queue, with the servers' compute times as their statistics report them.
 */
class LatencyScalesTest {

  private static final Calibration BASE = Calibration.defaults();
  private static final Catalog CATALOG = Calibration.defaultCatalog();
  private static final String SERVICE = CATALOG.services().get(0).name();

  @Test
  void aServerThreeTimesSlowerIsFoundAndTheOtherKeepsItsProfile() {
    LatencyScales scales = new LatencyScales(BASE, CATALOG, SERVICE, 512, 30);
    feed(scales, "edge-0", 1.0, 400, 1);
    feed(scales, "edge-1", 3.0, 400, 2);

    assertThat(scales.serverScales()).containsEntry("edge-0", 1.0);
    assertThat(scales.serverScales().get("edge-1")).isCloseTo(3.0, within(0.6));
    Calibration live = scales.calibration();
    double ratio =
        live.profile().medianMs("edge-1", "resnet152-like", 4)
            / BASE.profile().medianMs("edge-1", "resnet152-like", 4);
    assertThat(ratio).isEqualTo(scales.serverScales().get("edge-1"));
    assertThat(live.profile().medianMs("edge-0", "resnet152-like", 4))
        .isEqualTo(BASE.profile().medianMs("edge-0", "resnet152-like", 4));
    assertThat(scales.describe()).contains("edge-0 x1.00").contains("edge-1 x");
  }

  @Test
  void withoutDriftTheCalibrationIsTheBaseOne() {
    LatencyScales scales = new LatencyScales(BASE, CATALOG, SERVICE, 512, 30);
    feed(scales, "edge-0", 1.0, 400, 3);
    feed(scales, "edge-1", 1.0, 400, 4);

    assertThat(scales.serverScales()).containsEntry("edge-0", 1.0).containsEntry("edge-1", 1.0);
    assertThat(scales.calibration()).isSameAs(BASE);
  }

  @Test
  void tooFewSamplesOrFailuresSayNothing() {
    LatencyScales scales = new LatencyScales(BASE, CATALOG, SERVICE, 512, 30);
    feed(scales, "edge-1", 3.0, 10, 5);
    for (int i = 0; i < 100; i++) {
      scales.observe(
          new ObservedCompletion("f" + i, SERVICE, "edge-0", "resnet18-like", "FAILED", 500, 0));
    }

    assertThat(scales.fittedScale("edge-1")).isNaN();
    assertThat(scales.serverScales()).doesNotContainKey("edge-0").containsEntry("edge-1", 1.0);
    assertThat(scales.calibration()).isSameAs(BASE);
  }

  @Test
  void aQueueThatNeverEmptiesIsReadFromTheServersComputeTimes() {
    // the most accurate variant at 600 req/s, edge-1 3x slower for good: more than the two
    // servers can run, so every request queues and even the lowest latencies are mostly queueing
    SimulatedExperience.Log log =
        SimulatedExperience.record(
            SimulatorConfig.of(CATALOG, SERVICE, BASE),
            new Scenario(
                WorkloadSpec.parse("poisson:rate=600"),
                DisturbanceSpec.parse("slowdown:server=edge-1,factor=3,at=0"),
                20,
                11),
            new LargestPolicy(),
            1,
            1_000_000);
    LatencyScales scales = new LatencyScales(BASE, CATALOG, SERVICE, 512, 30);
    log.completions().forEach(scales::observe);
    assertThat(scales.latencyScale("edge-0"))
        .as("the completions alone misread the unchanged server under this queue")
        .isGreaterThan(1.5);

    log.executions().forEach(scales::observe);

    assertThat(scales.fittedScale("edge-1")).isCloseTo(3.0, withinPercentage(15));
    assertThat(scales.fittedScale("edge-0")).isCloseTo(1.0, withinPercentage(15));
    assertThat(scales.serverScales()).containsEntry("edge-0", 1.0);
    assertThat(scales.describe()).contains("edge-1 x").contains(" compute");
  }

  @Test
  void executionsOutsideTheWindowOrTooFewLeaveTheEstimateToTheCompletions() {
    LatencyScales scales = new LatencyScales(BASE, CATALOG, SERVICE, 512, 30);
    feed(scales, "edge-1", 3.0, 400, 6);
    double fromCompletions = scales.fittedScale("edge-1");
    // 40 executions 1x the profile, then 20 more well after: the old ones leave the window
    for (int i = 0; i < 40; i++) {
      scales.observe(new ObservedExecutions("edge-1", "resnet152-like", 1, 1, 12.67, i));
    }
    assertThat(scales.fittedScale("edge-1")).isCloseTo(1.0, within(1e-9));
    for (int i = 0; i < 20; i++) {
      scales.observe(
          new ObservedExecutions(
              "edge-1",
              "resnet152-like",
              1,
              1,
              12.67,
              LatencyScales.EXECUTION_WINDOW_MILLIS + 100));
    }
    assertThat(scales.fittedScale("edge-1")).isEqualTo(fromCompletions);
    // a model no variant of the service uses says nothing
    scales.observe(new ObservedExecutions("edge-1", "other-model", 1, 100, 1_000, 200_000));
    assertThat(scales.fittedScale("edge-1")).isEqualTo(fromCompletions);
  }

  /** {@code perVariant} completions of each variant on {@code server}, true factor {@code k}. */
  private static void feed(
      LatencyScales scales, String server, double k, int perVariant, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (Catalog.Variant v : CATALOG.service(SERVICE).variants()) {
      double execution = BASE.profile().medianMs(server, v.model(), 1) * k;
      for (int i = 0; i < perVariant; i++) {
        double latency =
            BASE.creationToDecision().valueAt(random.nextDouble())
                + BASE.protocolOverhead().valueAt(random.nextDouble())
                + execution * (1 + 0.3 * random.nextDouble()) // batching
                + 2 * random.nextDouble() // the batcher's queue delay
                + (random.nextDouble() < 0.25 ? -Math.log(random.nextDouble()) * execution : 0);
        scales.observe(
            new ObservedCompletion(
                server + "-" + v.name() + "-" + i, SERVICE, server, v.name(), "OK", latency, i));
      }
    }
  }
}
