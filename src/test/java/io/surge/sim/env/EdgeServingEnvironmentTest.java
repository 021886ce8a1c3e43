package io.surge.sim.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surge.policy.baseline.Policies;
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
  void aWarmUpDrawsItsOwnWorkloadsUntilItsStepsAreTaken() {
    WorkloadSpec light = WorkloadSpec.parse("poisson:rate=50");
    EdgeServingEnvironment env =
        new EdgeServingEnvironment(
            new EnvironmentConfig(
                config.simulator(),
                config.workloads(),
                null,
                null,
                2,
                new EnvironmentConfig.WarmUp(List.of(light), 150)));
    List<WorkloadSpec> drawn = new ArrayList<>();
    long steps = 0;
    for (long seed = 1; seed <= 6; seed++) {
      EnvStep step = env.reset(seed);
      drawn.add(env.scenario().workload());
      while (!step.done()) {
        step = env.step(env.actionCount() - 1, 1);
        steps++;
      }
    }

    // 2 s of 50/s: the first two episodes (~100 steps each) are the warm-up's, then the main set
    assertThat(steps).isGreaterThan(300);
    assertThat(drawn.subList(0, 2)).containsOnly(light);
    assertThat(drawn.subList(2, 6)).doesNotContain(light).isSubsetOf(config.workloads());
  }

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
  void afterABurnInStepsStartLaterAndEveryStepIsCreditedExactlyOnce() {
    EdgeServingEnvironment env =
        new EdgeServingEnvironment(
            config,
            6,
            Policies.byName(
                "greedy-slo", env0().simulator().topology(), env0().simulator().latency()));
    long latestFirstStep = 0;
    for (long seed = 1; seed <= 4; seed++) {
      EnvStep step = env.reset(seed);
      assertThat(step.decision()).isZero();
      latestFirstStep = Math.max(latestFirstStep, step.timeNanos());
      int[] credited = new int[100_000];
      long decisions = 0;
      while (!step.done()) {
        assertThat(step.decision()).isEqualTo(decisions);
        decisions++;
        step = env.step(env.actionCount() - 1, 1.0); // shed: credited at once
        for (int c = 0; c < step.credits(); c++) {
          credited[(int) step.creditedDecision(c)]++;
        }
      }
      assertThat(decisions).isPositive();
      for (int d = 0; d < decisions; d++) {
        assertThat(credited[d]).as("seed %d decision %d", seed, d).isEqualTo(1);
      }
      // the burn-in's requests are in the scoreboard, but they are no steps
      assertThat(env.simulator().scoreboard().requests()).isGreaterThan(decisions);
    }
    // burn-ins are drawn in [0, 6 s): over four episodes at least one starts well into the episode
    assertThat(latestFirstStep).isGreaterThan(1_000_000_000L);
    assertThatThrownBy(() -> new EdgeServingEnvironment(config, 8, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private EdgeServingEnvironment env0() {
    return new EdgeServingEnvironment(config);
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
