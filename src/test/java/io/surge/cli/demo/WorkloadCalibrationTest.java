package io.surge.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surge.serving.ladder.LadderOptions;
import io.surge.serving.ladder.ModelLadder;
import io.surge.sim.workload.MmppWorkload;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadCalibrationTest {

  private final Catalog.Service service =
      ModelLadder.catalog(LadderOptions.defaults()).services().get(0);

  /**
   * Every variant at {@code ms * (index + 1)} at batch 1, twice that at batch 4 and eight times at
   * batch 16.
   */
  private LatencyProfile profile(double ms) {
    List<LatencyProfile.Entry> entries = new ArrayList<>();
    List<Catalog.Variant> variants = service.variants();
    for (int v = 0; v < variants.size(); v++) {
      double one = ms * (v + 1);
      entries.add(new LatencyProfile.Entry("edge-0", variants.get(v).model(), 1, one, one, 5));
      entries.add(
          new LatencyProfile.Entry("edge-0", variants.get(v).model(), 4, 2 * one, 2 * one, 5));
      entries.add(
          new LatencyProfile.Entry("edge-0", variants.get(v).model(), 16, 8 * one, 8 * one, 5));
    }
    return new LatencyProfile("now", "test", entries);
  }

  @Test
  void calmAndBurstFollowTheLargestVariantsCapacityAtBatchOne() {
    // largest at 4 ms: batch 1 in 20 ms = 50 req/s per server, 100 on two; batching is not
    // counted (it adds throughput only once queues are long)
    WorkloadCalibration.Calibrated c =
        WorkloadCalibration.calibrate(profile(4), service, "edge-0", 2);

    assertThat(c.largestCapacity()).isEqualTo(100.0);
    assertThat(c.batch()).isEqualTo(1);
    MmppWorkload mmpp = (MmppWorkload) c.spec();
    assertThat(mmpp.rates()).containsExactly(60.0, 300.0);
    assertThat(mmpp.dwells()).containsExactly(10.0, 5.0);
    assertThat(c.explain()).contains("100 req/s");
  }

  @Test
  void fasterServersGetHigherRates() {
    double slow = WorkloadCalibration.calibrate(profile(4), service, "edge-0", 1).spec().meanRate();
    double fast = WorkloadCalibration.calibrate(profile(1), service, "edge-0", 1).spec().meanRate();

    assertThat(fast).isGreaterThan(3 * slow);
  }

  @Test
  void needsAServer() {
    assertThatThrownBy(() -> WorkloadCalibration.calibrate(profile(4), service, "edge-0", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one server");
  }
}
