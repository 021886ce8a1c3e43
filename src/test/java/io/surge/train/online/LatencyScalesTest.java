package io.surge.train.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surge.sim.engine.Calibration;
import io.surge.state.catalog.Catalog;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The live calibration on synthetic completions drawn like the job's: the calibration's overheads,
 * the profile's execution time times the server's true factor, inflated by batching, plus queueing.
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
