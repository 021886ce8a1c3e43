package io.surge.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surge.serving.profile.Profiler;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's emulation scale and workload, from a device profile shaped like the real ladder. */
class EmulationCalibrationTest {

  private static final List<Integer> BATCHES = List.of(1, 2, 4, 8, 16);
  private static final Catalog.Service SERVICE =
      new Catalog.Service(
          "image-classification", 100, List.of(variant("small", 69.76), variant("large", 78.31)));

  /** Direct-ORT-like curves: flat to batch 4, then linear (docs/BENCHMARKS.md). */
  private static final LatencyProfile DEVICE =
      profile(new double[] {1.8, 1.8, 2.0, 3.9, 6.4}, new double[] {11.8, 11.9, 13.1, 25.4, 40.8});

  @Test
  void burstsStayWithinTheJobsShareAndTheChoiceOfVariantDecides() {
    EmulationCalibration.Calibrated c =
        EmulationCalibration.calibrate(DEVICE, SERVICE, 2, 100, BATCHES, 0);

    assertThat(c.automatic()).isTrue();
    assertThat(c.withinBudget()).isTrue();
    assertThat(c.burst()).isLessThanOrEqualTo(250);
    assertThat(c.calm()).isLessThan(0.5 * c.largestCapacity());
    assertThat(c.burst()).isGreaterThan(1.3 * c.largestCapacity());
    assertThat(c.burst()).isLessThan(c.smallestCapacity());
    // the largest variant's best batch still fits in 40 % of the deadline
    assertThat(c.scale() * DEVICE.medianMs(EmulationCalibration.DEVICE, "large", c.largestBatch()))
        .isLessThanOrEqualTo(40);
    assertThat(c.spec().toSpec()).startsWith("mmpp:rates=");
    assertThat(c.explain()).contains("within the budget");
  }

  @Test
  void aGivenScaleIsTakenAndAnImpossibleOneRefused() {
    EmulationCalibration.Calibrated c =
        EmulationCalibration.calibrate(DEVICE, SERVICE, 2, 100, BATCHES, 2.0);
    assertThat(c.scale()).isEqualTo(2.0);
    assertThat(c.automatic()).isFalse();
    // 2 x 13.1 ms at batch 4 fits in 40 ms, batch 8 does not: 2 servers x 4 / 26.2 ms
    assertThat(c.largestBatch()).isEqualTo(4);
    assertThat(c.largestCapacity())
        .isCloseTo(2 * 4 / 0.0262, org.assertj.core.data.Offset.offset(0.1));

    assertThatThrownBy(() -> EmulationCalibration.calibrate(DEVICE, SERVICE, 2, 100, BATCHES, 4.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deadline");
  }

  @Test
  void aSlowMachinesProfileGetsAScaleBelowOne() {
    LatencyProfile slow =
        profile(new double[] {9, 9, 10, 20, 32}, new double[] {59, 60, 66, 127, 204});
    EmulationCalibration.Calibrated c =
        EmulationCalibration.calibrate(slow, SERVICE, 2, 100, BATCHES, 0);
    assertThat(c.scale()).isLessThan(1);
    assertThat(c.burst()).isLessThanOrEqualTo(250);
  }

  @Test
  void theDeviceProfileIsTheServersOwnComputeTime() {
    LatencyProfile roundTrips =
        new LatencyProfile(
            "now", "rt", List.of(new LatencyProfile.Entry("edge-0", "large", 1, 20, 25, 10)));
    Profiler.Result measured =
        new Profiler.Result(
            roundTrips, List.of(new Profiler.ServerCompute("large", 1, 12.5, 10)), 0);

    LatencyProfile device = EmulationCalibration.deviceProfile(measured);

    assertThat(device.medianMs(EmulationCalibration.DEVICE, "large", 1)).isEqualTo(12.5);
  }

  private static Catalog.Variant variant(String model, double accuracy) {
    return new Catalog.Variant(model, model, accuracy, null, null);
  }

  private static LatencyProfile profile(double[] small, double[] large) {
    List<LatencyProfile.Entry> entries = new ArrayList<>();
    for (int i = 0; i < BATCHES.size(); i++) {
      entries.add(entry("small", BATCHES.get(i), small[i]));
      entries.add(entry("large", BATCHES.get(i), large[i]));
    }
    return new LatencyProfile("now", "test", entries);
  }

  private static LatencyProfile.Entry entry(String model, int batch, double ms) {
    return new LatencyProfile.Entry(EmulationCalibration.DEVICE, model, batch, ms, ms, 10);
  }
}
