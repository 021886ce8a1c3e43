package io.surge.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.policy.baseline.Policies;
import io.surge.sim.env.EdgeServingEnvironment;
import io.surge.train.ppo.ActorCritic;
import io.surge.train.ppo.Demonstrations;
import io.surge.train.ppo.PpoConfig;
import io.surge.train.ppo.PpoTrainer;
import org.junit.jupiter.api.Test;

/** Behaviour cloning: a teacher's decisions recorded in the simulator, then imitated. */
class TeacherDemonstrationsTest {

  private final TrainingPlan plan =
      TinyTraining.plan(5)
          .withPpo(PpoConfig.defaults().toBuilder().hiddenLayers(16).environments(1).build());

  @Test
  void recordsEveryDecisionWithTheTeachersActionAndADiscountedReturn() {
    Demonstrations demos = record("smallest");

    assertThat(demos.size()).isGreaterThan(500);
    for (int i = 0; i < demos.size(); i++) {
      assertThat(demos.action(i)).isZero(); // smallest: variant 0, never shed at these rates
      // rewards of 0.6976 scaled by 0.01 summed with discount: positive and below 1 / (1 - gamma)
      assertThat(demos.discountedReturn(i)).isBetween(0.0, 0.6976 / (1 - plan.ppo().gamma()));
    }
  }

  @Test
  void imitationMakesTheActorChooseWhatTheTeacherChose() {
    Demonstrations demos = record("smallest");
    PpoTrainer trainer =
        new PpoTrainer(
            () -> new EdgeServingEnvironment(plan.environmentConfig()), plan.ppo(), plan.seed());
    ActorCritic.Evaluator before = trainer.networks().newEvaluator();
    double uniformish = agreement(before, demos);

    double crossEntropy = trainer.imitate(demos, 3, 1e-2);

    assertThat(uniformish).isLessThan(0.9);
    assertThat(agreement(trainer.networks().newEvaluator(), demos)).isGreaterThan(0.99);
    // below a uniform policy's log(actions): the probabilities moved toward the teacher's choice
    assertThat(crossEntropy).isLessThan(0.8 * Math.log(demos.actionCount()));
  }

  private Demonstrations record(String teacher) {
    return TeacherDemonstrations.record(
        plan.simulatorConfig(),
        simulator -> Policies.byName(teacher, simulator.topology(), simulator.latency()),
        plan.demonstrationEpisodes().subList(0, 1),
        plan.ppo().gamma(),
        0.01);
  }

  /** Share of the demonstrations whose most probable action is the teacher's. */
  private static double agreement(ActorCritic.Evaluator policy, Demonstrations demos) {
    int same = 0;
    for (int i = 0; i < demos.size(); i++) {
      double[] p =
          policy.probabilities(
              demos.observations(),
              i * demos.observationSize(),
              demos.masks(),
              i * demos.actionCount());
      int best = 0;
      for (int a = 1; a < p.length; a++) {
        best = p[a] > p[best] ? a : best;
      }
      same += best == demos.action(i) ? 1 : 0;
    }
    return (double) same / demos.size();
  }
}
