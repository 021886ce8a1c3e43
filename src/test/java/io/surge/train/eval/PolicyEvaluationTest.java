package io.surge.train.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.EstimatorSettings;
import io.surge.train.PolicyTraining;
import io.surge.train.TinyTraining;
import io.surge.train.TrainingPlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyEvaluationTest {

  @TempDir static Path dir;
  private static Path model;

  @BeforeAll
  static void trainATinyModel() {
    model = dir.resolve("tiny.onnx");
    PolicyTraining.run(TinyTraining.plan(3), p -> {}).export(model, 1, "tiny");
  }

  private static EvaluationPlan plan(List<String> policies, int threads) {
    return new EvaluationPlan(
        SimulatorConfig.defaults(),
        WorkloadSpec.parse("mmpp:rates=200/900,dwell=2/1"),
        DisturbanceSpec.parse("slowdown:server=1,factor=3,at=1,for=1"),
        policies,
        3,
        1,
        3,
        dir.resolve("shipped"),
        threads);
  }

  @Test
  void resultsJsonHasOneEntryPerTokenInTheGivenOrder() throws Exception {
    List<String> tokens = List.of("threshold", model.toString(), "largest", "smallest");
    EvaluationResult result = PolicyEvaluation.run(plan(tokens, 2));

    JsonNode json = new ObjectMapper().readTree(EvaluationJson.write(result, 0.5));

    List<String> names = new ArrayList<>();
    json.get("policies").fieldNames().forEachRemaining(names::add);
    assertThat(names).isEqualTo(tokens);
    assertThat(json.get("best_baseline").asText()).isIn("threshold", "largest", "smallest");
    assertThat(json.get("seeds").asInt()).isEqualTo(3);
    assertThat(json.get("disturb").asText()).startsWith("slowdown:");
    JsonNode learned = json.get("policies").get(model.toString());
    assertThat(learned.get("kind").asText()).isEqualTo("learned");
    for (JsonNode entry : List.of(learned, learned.get("sampled"), json.at("/policies/largest"))) {
      assertThat(entry.at("/effective_accuracy/mean").asDouble()).isBetween(0.0, 1.0);
      assertThat(entry.at("/effective_accuracy/ci95").isNumber()).isTrue();
      assertThat(entry.at("/paired_vs_best_baseline/mean").isNumber()).isTrue();
      assertThat(entry.get("slo_attainment").get("mean").asDouble()).isBetween(0.0, 1.0);
      assertThat(entry.get("shed_rate").asDouble()).isBetween(0.0, 1.0);
      assertThat(entry.get("p99_ms").asDouble()).isPositive();
      assertThat(entry.get("variant_mix").size()).isEqualTo(5);
      assertThat(entry.get("per_seed_effective_accuracy").size()).isEqualTo(3);
    }
    assertThat(json.at("/policies/largest/sampled").isMissingNode()).isTrue();
  }

  @Test
  void pairedDifferencesAreAgainstTheBestBaselineSeedBySeed() {
    EvaluationResult result = PolicyEvaluation.run(plan(List.of("largest", "smallest"), 2));
    PolicyResult best = find(result, result.bestBaseline());
    PolicyResult other = find(result, best.token().equals("largest") ? "smallest" : "largest");

    assertThat(best.headline().effectiveAccuracy().mean())
        .isGreaterThanOrEqualTo(other.headline().effectiveAccuracy().mean());
    assertThat(best.headline().pairedVsBestBaseline().mean()).isZero();
    assertThat(best.headline().pairedVsBestBaseline().ci95()).isZero();
    double[] a = other.headline().perSeedAccuracy();
    double[] b = best.headline().perSeedAccuracy();
    assertThat(other.headline().pairedVsBestBaseline().mean())
        .isCloseTo((a[0] - b[0] + a[1] - b[1] + a[2] - b[2]) / 3, within(1e-12));
  }

  @Test
  void resultsDoNotDependOnTheThreadCount() {
    List<String> tokens = List.of("greedy-slo", model.toString());
    EvaluationResult one = PolicyEvaluation.run(plan(tokens, 1));
    EvaluationResult two = PolicyEvaluation.run(plan(tokens, 2));

    for (int i = 0; i < tokens.size(); i++) {
      assertThat(two.policies().get(i).headline().perSeedAccuracy())
          .isEqualTo(one.policies().get(i).headline().perSeedAccuracy());
    }
    assertThat(two.policies().get(1).sampled().perSeedAccuracy())
        .isEqualTo(one.policies().get(1).sampled().perSeedAccuracy());
  }

  @Test
  void anAblationModelIsEvaluatedWithTheEstimatorsItWasTrainedWith() throws Exception {
    Path ablation = dir.resolve("single-rate-scale.onnx");
    TrainingPlan tiny = TinyTraining.plan(4);
    PolicyTraining.run(
            tiny.withEstimators(
                    tiny.estimators()
                        .withRateTimeConstantsMs(EstimatorSettings.SINGLE_RATE_SCALE_MS))
                .withPpo(tiny.ppo().toBuilder().discountSeconds(0.5).build()),
            p -> {})
        .export(ablation, 1, "tiny, one rate scale");

    EvaluationResult result =
        PolicyEvaluation.run(plan(List.of("smallest", ablation.toString()), 1));

    PolicyResult learned = result.policies().get(1);
    assertThat(learned.kind()).isEqualTo("learned");
    assertThat(learned.headline().effectiveAccuracy().mean()).isBetween(0.0, 1.0);
  }

  @Test
  void aMissingShippedPolicyIsAClearError() {
    assertThatThrownBy(() -> PolicyEvaluation.run(plan(List.of("largest", "learned"), 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("default.onnx")
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> PolicyEvaluation.run(plan(List.of("oracle"), 1)))
        .hasMessageContaining("oracle.onnx")
        .hasMessageContaining("--privileged");
  }

  @Test
  void anUnknownPolicyIsNamed() {
    assertThatThrownBy(() -> PolicyEvaluation.run(plan(List.of("fastest"), 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown policy 'fastest'");
  }

  private static PolicyResult find(EvaluationResult result, String token) {
    return result.policies().stream()
        .filter(p -> p.token().equals(token))
        .findFirst()
        .orElseThrow();
  }
}
