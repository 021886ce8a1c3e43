package io.surge.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surge.state.LatencyTable;
import io.surge.state.ServiceTopology;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationTest {

  @Test
  void writesAndReadsBackTheSameCalibration(@TempDir Path dir) {
    Calibration original = Calibration.defaults();
    Path file = dir.resolve("calibration.json");
    original.write(file);

    Calibration read = Calibration.read(file);
    assertThat(read).isEqualTo(original);
    assertThat(Calibration.parse(original.toJson())).isEqualTo(original);
  }

  @Test
  void theShippedDefaultFitsItsCatalog() {
    Calibration c = Calibration.defaults();
    ServiceTopology topology =
        ServiceTopology.of(Calibration.defaultCatalog(), "image-classification");
    LatencyTable table = LatencyTable.from(c.profile(), topology);

    assertThat(c.source()).contains("BENCHMARKS");
    assertThat(table.maxBatch(4, 1)).isEqualTo(16);
    assertThat(table.latencyMs(4, 0, 1)).isGreaterThan(table.latencyMs(0, 0, 1));
    assertThat(c.withLatencyScale(3).profile().medianMs("edge-0", "resnet18-like", 1))
        .isEqualTo(3 * c.profile().medianMs("edge-0", "resnet18-like", 1));
  }

  @Test
  void delaysInterpolateBetweenQuantiles() {
    DelayDistribution d = new DelayDistribution(new double[] {0, 0.5, 1}, new double[] {1, 3, 11});
    assertThat(d.valueAt(0)).isEqualTo(1);
    assertThat(d.valueAt(0.25)).isEqualTo(2);
    assertThat(d.medianMs()).isEqualTo(3);
    assertThat(d.valueAt(0.75)).isEqualTo(7);
    assertThat(DelayDistribution.constant(4).valueAt(0.9)).isEqualTo(4);
    assertThatThrownBy(() -> new DelayDistribution(new double[] {0, 0.5}, new double[] {1, 2}))
        .hasMessageContaining("from 0 to 1");
  }
}
