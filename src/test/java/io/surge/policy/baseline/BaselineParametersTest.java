package io.surge.policy.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineParametersTest {

  @Test
  void yamlRoundTripKeepsEveryValueAndTheHeaderIsAComment(@TempDir Path dir) throws Exception {
    BaselineParameters p =
        new BaselineParameters(
            new BaselineParameters.GreedySlo(7.5, 1, 0.25),
            new BaselineParameters.Threshold(0.65, 2),
            new BaselineParameters.ProteusLike(0.9, 0.25, 0));
    Path file = dir.resolve("baselines.yaml");
    Files.writeString(file, p.toYaml("made by a test\non a line of its own"));
    assertThat(Files.readString(file)).startsWith("# made by a test\n# on a line of its own\n");
    assertThat(BaselineParameters.load(file)).isEqualTo(p);
  }

  @Test
  void theShippedFileLoadsFromTheClasspathAndEqualsTheCommittedOne() {
    assertThat(BaselineParameters.shipped())
        .isEqualTo(BaselineParameters.load(Path.of("deploy/policies/baselines.yaml")));
  }

  @Test
  void unknownKeysAndMissingSectionsAreRejected() {
    assertThatThrownBy(
            () ->
                BaselineParameters.parse(
                    "greedy-slo: {margin_ms: 1, ratio_exponent: 1, late_rate_level: 0.5, typo: 2}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("typo");
    assertThatThrownBy(
            () ->
                BaselineParameters.parse(
                    "greedy-slo: {margin_ms: 1, ratio_exponent: 1, late_rate_level: 0.5}"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
