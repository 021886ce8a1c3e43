package io.surge.train.exact;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.train.ppo.PpoConfig;
import io.surge.train.ppo.PpoTrainer;
import org.junit.jupiter.api.Test;

/** PPO on the tiny instance, phase visible, rewards credited with their real delay. */
class PpoOnTinyInstanceTest {

  @Test
  void reachesNinetyFivePercentOfTheOptimum() {
    SingleServerMdp mdp = TinyInstance.MDP;
    double optimum = RelativeValueIteration.solve(mdp, 1e-10).rewardPerRequest();
    PpoConfig config =
        PpoConfig.defaults().toBuilder()
            .hiddenLayers(32, 32)
            .rolloutDecisions(512)
            .minibatchSize(128)
            .epochs(4)
            .learningRate(1e-3)
            .build();
    PpoTrainer trainer =
        new PpoTrainer(() -> new SingleServerEnvironment(mdp, true, true, 2048), config, 42);
    trainer.train(60_000);

    SingleServerEnvironment shape = new SingleServerEnvironment(mdp, true, true, 1);
    double learned =
        RelativeValueIteration.evaluate(mdp, shape.policyOf(trainer.networks(), false), 1e-9);
    assertThat(learned / optimum).isGreaterThanOrEqualTo(0.95);
  }
}
