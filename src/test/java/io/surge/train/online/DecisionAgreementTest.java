package io.surge.train.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.state.ObservationSpec;
import io.surge.state.TestServices;
import io.surge.train.export.PolicyModelWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecisionAgreementTest {

  private static final List<String> ACTIONS = List.of("small", "medium", "large");

  private final ObservationSpec spec = TestServices.builder().spec();

  @TempDir Path dir;

  @Test
  void aCandidateWithTheSameDecisionsIsIdenticalAndAnotherIsNot() {
    Path running = model("running.onnx", 1, 0.1f, 0.2f, 0.3f, 0.4f);
    // another version of the same network: other bytes, the same decisions
    Path same = model("same.onnx", 2, 0.1f, 0.2f, 0.3f, 0.4f);
    Path shedding = model("shedding.onnx", 2, 0.1f, 0.1f, 0.1f, 0.7f);
    Path smallest = model("smallest.onnx", 2, 0.7f, 0.1f, 0.1f, 0.1f);
    List<LoggedDecision> recent = decisions(500);

    DecisionAgreement unchanged = DecisionAgreement.score(running, same, spec, ACTIONS, recent);
    DecisionAgreement changed = DecisionAgreement.score(running, smallest, spec, ACTIONS, recent);
    DecisionAgreement moreShedding =
        DecisionAgreement.score(smallest, shedding, spec, ACTIONS, recent);

    assertThat(unchanged.decisions()).isEqualTo(500);
    assertThat(unchanged.identical()).isTrue();
    // the running policy sheds (largest bias on the last action) wherever it may
    assertThat(changed.changed()).isEqualTo(500);
    assertThat(changed.runningShed()).isEqualTo(500);
    assertThat(changed.candidateShed()).isZero();
    assertThat(moreShedding.candidateShed()).isEqualTo(500);
    assertThat(changed.identical()).isFalse();
    assertThat(changed.describe()).contains("100.0 % of 500").contains("shed 100.0 % -> 0.0 %");
  }

  @Test
  void decisionsOfAnotherSpecAreNotScored() {
    Path running = model("running.onnx", 1, 0.1f, 0.2f, 0.3f, 0.4f);
    Path candidate = model("candidate.onnx", 2, 0.7f, 0.1f, 0.1f, 0.1f);
    List<LoggedDecision> recent = new ArrayList<>();
    recent.add(ExperienceWindowsTest.decision("r1", "s", 1));

    DecisionAgreement agreement =
        DecisionAgreement.score(running, candidate, spec, ACTIONS, recent);

    assertThat(agreement.decisions()).isZero();
    assertThat(agreement.identical()).isFalse();
  }

  private List<LoggedDecision> decisions(int n) {
    Random random = new Random(3);
    List<LoggedDecision> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] observation = new float[spec.dimension()];
      for (int j = 0; j < observation.length; j++) {
        observation[j] = (float) random.nextGaussian();
      }
      float[] mask = {1, 1, 1, 1};
      out.add(
          new LoggedDecision(
              "r" + i, "s", 1, spec.hash(), observation, mask, 0, 0.5, 70, i, i + 20));
    }
    return out;
  }

  /** Zero weights and biases log(p): outputs p whatever the observation. */
  private Path model(String name, long version, float... p) {
    float[] bias = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      bias[i] = (float) Math.log(p[i]);
    }
    Path file = dir.resolve(name);
    PolicyModelWriter.forSpec(spec, ACTIONS)
        .output(new float[spec.dimension() * p.length], bias)
        .version(version)
        .writeTo(file);
    return file;
  }
}
