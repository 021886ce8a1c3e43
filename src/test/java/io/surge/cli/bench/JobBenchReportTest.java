package io.surge.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobBenchReportTest {

  private static JobRun run(String name, double perSecond) {
    return new JobRun(
        name, 10, 2.0, perSecond, 1000, 0, Map.of("OK", 1000L), null, Map.of("broker", 0.5));
  }

  @Test
  void ratioIsFullOverPassThrough() {
    JobBenchReport report =
        new JobBenchReport(
            JobBenchOptions.defaults(), 1e5, 3.5, 2, run("pass-through", 4000), run("full", 1000));

    assertThat(report.ratio()).isEqualTo(0.25);
    assertThat(report.markdown())
        .contains("| pass-through | 1000 | 0 | OK 1000 | 10 | 2.00 | 4000 |")
        .contains("| full | 1000 | 0 | OK 1000 | 10 | 2.00 | 1000 |")
        .contains("**0.250**")
        .contains("load average 3.50");
    assertThat(report.summary())
        .contains("ratio full/pass-through: 0.250")
        .contains("CPU cores: broker 0.50 (total 0.50)");
  }

  @Test
  void optionsRejectNonsense() {
    JobBenchOptions defaults = JobBenchOptions.defaults();
    assertThatThrownBy(() -> defaults.withRequests(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requests");
    assertThatThrownBy(() -> defaults.withHttpThreads(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http threads");
    assertThatThrownBy(() -> defaults.withCheckpointInterval(Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("checkpoint interval");
  }
}
