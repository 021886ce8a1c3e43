package io.surge.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.sim.workload.WorkloadSpec;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadMixTest {

  @Test
  void aWorkloadIsRepeatedInInverseProportionToItsRate() {
    WorkloadSpec fast = WorkloadSpec.parse("poisson:rate=1000");
    WorkloadSpec slow = WorkloadSpec.parse("poisson:rate=250");
    WorkloadSpec middle = WorkloadSpec.parse("poisson:rate=600");

    List<WorkloadSpec> mix = WorkloadMix.balancedByDecisions(List.of(fast, slow, middle));

    assertThat(Collections.frequency(mix, fast)).isEqualTo(1);
    assertThat(Collections.frequency(mix, slow)).isEqualTo(4);
    assertThat(Collections.frequency(mix, middle)).isEqualTo(2);
  }

  @Test
  void repeatsAreCapped() {
    WorkloadSpec fast = WorkloadSpec.parse("poisson:rate=10000");
    WorkloadSpec trickle = WorkloadSpec.parse("poisson:rate=1");

    List<WorkloadSpec> mix = WorkloadMix.balancedByDecisions(List.of(fast, trickle));

    assertThat(Collections.frequency(mix, trickle)).isEqualTo(WorkloadMix.MAX_REPEATS);
  }
}
