package io.surge.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.train.TrainingProgress;
import io.surge.train.ppo.UpdateReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingLogTest {

  @TempDir Path dir;

  @Test
  void writesOneLinePerUpdateReadableWhileTrainingRunsAndCountsCandidateRuns() throws Exception {
    Path file = dir.resolve("updates.csv");
    try (TrainingLog log = new TrainingLog(file)) {
      log.accept(progress(1, 4096, 1.75, 12.5));
      log.accept(progress(2, 8192, 1.50, 9.0));
      assertThat(Files.readAllLines(file)).as("flushed per update").hasSize(3);
      log.accept(progress(1, 4096, 1.79, 30.0)); // the next candidate starts from 0 steps
    }

    List<String> lines = Files.readAllLines(file);
    assertThat(lines.get(0)).isEqualTo(TrainingLog.HEADER);
    assertThat(lines).hasSize(4);
    assertThat(lines.get(1)).startsWith("0,1,4096,").contains(",1.750000,");
    assertThat(lines.get(2)).startsWith("0,2,8192,");
    assertThat(lines.get(3)).startsWith("1,1,4096,");
    assertThat(lines.get(1).split(",")).hasSize(TrainingLog.HEADER.split(",").length);
  }

  private static TrainingProgress progress(long update, long steps, double entropy, double loss) {
    return new TrainingProgress(
        new UpdateReport(update, steps, 8192, 0.6, entropy, -0.001, loss, 0.004, 0.05, 3.5), 0.7);
  }
}
