package io.surge.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.workload.WorkloadSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenariosTest {

  private static final double C = 1000;

  @Test
  void evaluationScenariosAreInUnitsOfC() {
    assertThat(Scenarios.of("E1", C, Path.of("")))
        .containsExactly(new Scenarios.Entry("E1", "mmpp:rates=500/2000,dwell=30/8", null));
    assertThat(Scenarios.of("E2", C, Path.of("")).get(0).workload())
        .isEqualTo("mmpp:rates=700/1400,dwell=10/10");
    assertThat(Scenarios.of("E4", C, Path.of("")))
        .containsExactly(
            new Scenarios.Entry(
                "E4", "poisson:rate=600", "slowdown:server=1,factor=3,at=20,for=20,every=60"));
    assertThat(Scenarios.of("S", C, Path.of("")).get(0).workload()).isEqualTo("poisson:rate=800");
  }

  @Test
  void theTraceIsScaledToItsTargetMean() {
    WorkloadSpec e3 = WorkloadSpec.parse(Scenarios.of("E3", C, Path.of("")).get(0).workload());
    assertThat(e3.meanRate()).isCloseTo(0.9 * C, within(0.01 * C));
    WorkloadSpec light = WorkloadSpec.parse(Scenarios.of("L", C, Path.of("")).get(0).workload());
    assertThat(light.meanRate()).isCloseTo(0.2 * C, within(0.01 * C));
  }

  @Test
  void theWideTrainingSetLeavesRoomForTheLargestVariant() {
    List<Scenarios.Entry> wide = Scenarios.of(Scenarios.TRAIN_WIDE, C, Path.of(""));
    assertThat(wide).containsAll(Scenarios.of(Scenarios.TRAIN, C, Path.of("")));
    double lightest =
        wide.stream()
            .mapToDouble(e -> WorkloadSpec.parse(e.workload()).meanRate())
            .min()
            .orElseThrow();
    assertThat(lightest).isLessThanOrEqualTo(0.2 * C);
  }

  @Test
  void everyTrainingScenarioParsesAndNoneIsAnEvaluationOne() {
    List<Scenarios.Entry> train = Scenarios.of(Scenarios.TRAIN_WIDE, C, Path.of(""));
    assertThat(train).hasSizeGreaterThanOrEqualTo(4);
    for (Scenarios.Entry e : train) {
      WorkloadSpec.parse(e.workload());
      if (e.disturbances() != null) {
        DisturbanceSpec.parse(e.disturbances());
      }
      for (String name : Scenarios.EVALUATION) {
        Scenarios.Entry eval = Scenarios.of(name, C, Path.of("")).get(0);
        assertThat(e.workload()).isNotEqualTo(eval.workload());
      }
    }
    assertThatThrownBy(() -> Scenarios.of("E9", C, Path.of("")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("train, train-wide, E1");
  }
}
