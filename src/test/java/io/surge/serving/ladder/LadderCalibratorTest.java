package io.surge.serving.ladder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The arithmetic of calibration; the measurement itself is exercised by DirectOrtBenchmarkTest. */
class LadderCalibratorTest {

  @Test
  void fitsTheLineThroughExactPoints() {
    LadderCalibrator.CostModel cost =
        LadderCalibrator.CostModel.fit(List.of(10, 20, 40), List.of(0.75, 1.25, 2.25));
    assertThat(cost.fixedMs()).isCloseTo(0.25, within(1e-9));
    assertThat(cost.perBlockMs()).isCloseTo(0.05, within(1e-9));
    assertThat(cost.predictMs(100)).isCloseTo(5.25, within(1e-9));
  }

  @Test
  void depthsFollowTheReferenceRatios() {
    LadderTable table = LadderTable.imageClassification();
    LadderCalibrator.CostModel cost = new LadderCalibrator.CostModel(0.5, 0.05);
    List<Integer> depths = LadderCalibrator.depthsFor(table, cost, 2.5);
    // 2.5 ms * ratio = 0.5 + 0.05 * depth
    assertThat(depths).containsExactly(40, 75, 93, 174, 251);
    for (int i = 0; i < depths.size(); i++) {
      double ratio = cost.predictMs(depths.get(i)) / cost.predictMs(depths.get(0));
      assertThat(ratio).isCloseTo(table.referenceRatio(i), within(0.02 * table.referenceRatio(i)));
    }
    assertThat(LadderCalibrator.depthsFor(table, cost, 2.5)).isEqualTo(depths);
  }

  @Test
  void neverProposesAnEmptyModel() {
    LadderCalibrator.CostModel cost = new LadderCalibrator.CostModel(5, 1);
    assertThat(LadderCalibrator.depthsFor(LadderTable.imageClassification(), cost, 1))
        .allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(1));
  }

  @Test
  void rejectsMeasurementsWithoutAPositiveSlope() {
    assertThatThrownBy(() -> LadderCalibrator.CostModel.fit(List.of(10, 20), List.of(2.0, 1.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too noisy");
    assertThatThrownBy(() -> LadderCalibrator.CostModel.fit(List.of(10, 10), List.of(1.0, 2.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("different depths");
  }

  @Test
  void referenceRatiosAreTheJetsonResNetRatios() {
    LadderTable table = LadderTable.imageClassification();
    assertThat(table.referenceRatio(1)).isCloseTo(2.79 / 1.64, within(1e-9));
    assertThat(table.referenceRatio(4)).isCloseTo(8.57 / 1.64, within(1e-9));
  }
}
