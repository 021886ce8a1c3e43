package io.surge.sim.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surge.sim.disturb.RandomDisturbances;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.sim.workload.WorkloadSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EdgeServingEnvironmentTest {

  private final EnvironmentConfig config =
      new EnvironmentConfig(
          SimulatorConfig.defaults(),
          List.of(
              WorkloadSpec.parse("mmpp:rates=100/600,dwell=3/2"),
              WorkloadSpec.parse("poisson:rate=300")),
          null,
          RandomDisturbances.defaults(),
          8);

  @Test
  void everyDecisionIsCreditedExactlyOnce() {
    EdgeServingEnvironment env = new EdgeServingEnvironment(config);
    EnvStep step = env.reset(5);
    int[] credited = new int[100_000];
    long decisions = 0;
    long i = 0;
    while (!step.done()) {
      assertThat(step.decision()).isEqualTo(decisions);
      decisions++;
      int action = (int) (i++ % env.actionCount()); // cycle through variants and shed
      if (step.mask()[action] == 0f) {
        action = env.actionCount() - 1;
      }
      step = env.step(action, 0.2);
      for (int c = 0; c < step.credits(); c++) {
        credited[(int) step.creditedDecision(c)]++;
      }
    }
    assertThat(decisions).isGreaterThan(500);
    for (int d = 0; d < decisions; d++) {
      assertThat(credited[d]).as("decision %d", d).isEqualTo(1);
    }
    assertThat(env.simulator().scoreboard().requests()).isEqualTo(decisions);
  }

  @Test
  void resetIsDeterministicAndObservationsHaveTheSpecsSize() {
    EdgeServingEnvironment env = new EdgeServingEnvironment(config);
    List<Float> first = run(env, 21);
    List<Float> again = run(env, 21);
    List<Float> other = run(env, 22);
    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    assertThat(env.observationSize()).isEqualTo(env.spec().dimension());
    assertThat(env.actionCount()).isEqualTo(6);
  }

  @Test
  void aMaskedOrUnknownActionIsRefused() {
    EdgeServingEnvironment env = new EdgeServingEnvironment(config);
    env.reset(1);
    assertThatThrownBy(() -> env.step(6, 1.0)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Slack, rate and shed-credit trace of the first 200 decisions, always choosing the largest. */
  private static List<Float> run(EdgeServingEnvironment env, long seed) {
    List<Float> trace = new ArrayList<>();
    EnvStep step = env.reset(seed);
    for (int i = 0; i < 200 && !step.done(); i++) {
      trace.add(step.observation()[0]);
      trace.add(step.observation()[1]);
      step = env.step(env.actionCount() - 2, 1.0);
    }
    return trace;
  }
}
