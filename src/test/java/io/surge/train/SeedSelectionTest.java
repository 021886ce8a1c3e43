package io.surge.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedSelectionTest {

  @Test
  void keepsTheCandidateWithTheBestValidationOnTheTrainingWorkloads(@TempDir Path dir) {
    TrainingPlan plan = TinyTraining.plan(5);

    SeedSelection.Result result = SeedSelection.run(plan, 2, dir, 1, 2, 1, p -> {});

    assertThat(result.candidates())
        .extracting(SeedSelection.Candidate::seed)
        .containsExactly(5L, 6L);
    for (SeedSelection.Candidate candidate : result.candidates()) {
      assertThat(candidate.file()).exists();
      assertThat(candidate.validationAccuracy()).isBetween(0.0, 1.0);
      assertThat(result.chosen().validationAccuracy())
          .isGreaterThanOrEqualTo(candidate.validationAccuracy());
    }
    // the kept policy is the chosen seed's model, and its validation is reproducible
    assertThat(result.best().modelBytes(1, plan.describeWorkloads()))
        .isEqualTo(readAll(result.chosen().file()));
    assertThat(SeedSelection.validate(plan, result.chosen().file(), 1, 2))
        .isEqualTo(result.chosen().validationAccuracy());
  }

  private static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
