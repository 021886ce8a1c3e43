package io.surge.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surge.policy.baseline.Policies;
import io.surge.policy.onnx.OnnxPolicy;
import io.surge.sim.engine.Scenario;
import io.surge.sim.engine.Simulator;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.train.ppo.PpoConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DAgger distils two experts, each on its own load, into one student that acts as both. */
class PolicyDistillationTest {

  private static final String LIGHT = "poisson:rate=60";
  private static final String HEAVY = "poisson:rate=900";

  private final TrainingPlan plan = TinyTraining.plan(3);
  private final PpoConfig ppo =
      PpoConfig.defaults().toBuilder()
          .hiddenLayers(16, 16)
          .environments(1)
          .minibatchSize(64)
          .build();

  @Test
  void theStudentActsAsEachExpertOnThatExpertsLoad() throws Exception {
    PolicyDistillation.Result result =
        PolicyDistillation.run(
            plan.simulatorConfig(),
            ppo,
            List.of(expert("largest", LIGHT), expert("smallest", HEAVY)),
            new PolicyDistillation.Settings(3, 1, 4, 8, 3e-3, null, 5),
            round -> {});

    // round 0 (the experts act), rounds 1-3 (the student acts), then the final student's check
    assertThat(result.rounds()).hasSize(5);
    assertThat(result.rounds().get(0).agreement()).containsValues(1.0, 1.0);
    assertThat(result.rounds().get(4).decisions())
        .isEqualTo(result.rounds().get(3).decisions()); // the check adds nothing to fit on
    assertThat(result.finalAgreement().get("largest")).isGreaterThan(0.95);
    assertThat(result.finalAgreement().get("smallest")).isGreaterThan(0.95);

    // the exported student loads as the job would load it, and serves the light load's expert's
    // choice (the largest variant) on a new episode of the light load, apart from some of the
    // first decisions (before the rate estimators have seen the load, both loads look alike)
    Simulator simulator = new Simulator(plan.simulatorConfig());
    try (OnnxPolicy student =
        OnnxPolicy.load(
            result.modelBytes(7, "test"),
            simulator.spec(),
            simulator.topology().actionNames(),
            OnnxPolicy.Options.defaults().withMode(OnnxPolicy.Mode.ARGMAX))) {
      double[] mix =
          simulator
              .run(student, Scenario.of(WorkloadSpec.parse(LIGHT), 4, 99))
              .summary()
              .variantMix();
      assertThat(mix[mix.length - 1]).isGreaterThan(0.75);
    }
  }

  @Test
  void anExpertOfAnotherObservationIsRejectedBeforeAnythingRuns() {
    byte[] notAModel = {1, 2, 3};
    assertThatThrownBy(
            () ->
                PolicyDistillation.run(
                    plan.simulatorConfig(),
                    ppo,
                    List.of(
                        PolicyDistillation.Expert.ofModel(
                            "broken.onnx", notAModel, List.of(WorkloadSpec.parse(LIGHT)))),
                    new PolicyDistillation.Settings(0, 1, 2, 1, 1e-3, null, 1),
                    round -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("broken.onnx");
  }

  private static PolicyDistillation.Expert expert(String baseline, String workload) {
    return new PolicyDistillation.Expert(
        baseline,
        s -> Policies.byName(baseline, s.topology(), s.latency()),
        List.of(WorkloadSpec.parse(workload)));
  }
}
