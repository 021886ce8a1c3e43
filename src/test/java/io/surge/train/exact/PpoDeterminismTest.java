package io.surge.train.exact;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.train.ppo.ActorCritic;
import io.surge.train.ppo.PpoConfig;
import io.surge.train.ppo.PpoTrainer;
import org.junit.jupiter.api.Test;

/**
 * Same seed and step budget give bit-identical networks, whatever the number of threads; rewards
 * are credited with delay, so segments carry decisions over.
 */
class PpoDeterminismTest {

  private static final long STEPS = 3_000;

  @Test
  void sameSeedAndBudgetGiveIdenticalParametersWithOneOrTwoThreads() {
    ActorCritic single = train(1, 5);
    ActorCritic parallel = train(2, 5);
    ActorCritic again = train(2, 5);
    for (ActorCritic other : new ActorCritic[] {parallel, again}) {
      assertThat(other.actorParameters()).isEqualTo(single.actorParameters());
      assertThat(other.criticParameters()).isEqualTo(single.criticParameters());
      assertThat(other.normalisation().mean()).isEqualTo(single.normalisation().mean());
      assertThat(other.normalisation().std()).isEqualTo(single.normalisation().std());
    }
  }

  @Test
  void anotherSeedGivesOtherParameters() {
    assertThat(train(2, 6).actorParameters()).isNotEqualTo(train(2, 5).actorParameters());
  }

  private static ActorCritic train(int threads, long seed) {
    PpoConfig config =
        PpoConfig.defaults().toBuilder()
            .hiddenLayers(16, 16)
            .environments(2)
            .threads(threads)
            .rolloutDecisions(200)
            .minibatchSize(64)
            .epochs(3)
            .build();
    PpoTrainer trainer =
        new PpoTrainer(
            () -> new SingleServerEnvironment(TinyInstance.MDP, true, true, 300), config, seed);
    trainer.train(STEPS);
    assertThat(trainer.environmentSteps()).isGreaterThanOrEqualTo(STEPS);
    assertThat(trainer.learningCurve().points()).hasSize((int) trainer.updates());
    return trainer.networks();
  }
}
