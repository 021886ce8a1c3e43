package io.surge.train.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surge.train.nn.GradientCheck;
import io.surge.train.nn.Normalisation;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The full PPO loss's analytic gradient against central finite differences. */
class PpoObjectiveTest {

  private static final int OBSERVATIONS = 5;
  private static final int ACTIONS = 4;
  private static final int SAMPLES = 24;

  @Test
  void gradientOfTheClippedLossWithMasksMatchesFiniteDifferences() {
    checkGradients(PpoConfig.defaults().toBuilder().entropyCoefficient(0.05).build(), 1);
  }

  @Test
  void gradientWithAClippedValueLossMatchesFiniteDifferences() {
    checkGradients(
        PpoConfig.defaults().toBuilder().entropyCoefficient(0.02).valueClip(0.3).build(), 2, 1);
  }

  @Test
  void gradientWithNormalisedAndClippedValuesMatchesFiniteDifferences() {
    checkGradients(
        PpoConfig.defaults().toBuilder().normaliseValues(true).valueClip(0.3).build(), 3, 0.5);
  }

  @Test
  void gradientWithCriticOnlyFeaturesMatchesFiniteDifferences() {
    checkGradients(PpoConfig.defaults().toBuilder().entropyCoefficient(0.05).build(), 5, 1, 2);
  }

  @Test
  void theActorIgnoresCriticOnlyFeaturesAndTheCriticUsesThem() {
    ActorCritic networks =
        new ActorCritic(
            OBSERVATIONS, OBSERVATIONS - 2, ACTIONS, new int[] {7, 6}, new SplittableRandom(6));
    perturb(networks.liveActorParameters(), new SplittableRandom(7));
    ActorCritic.Evaluator evaluator = networks.newEvaluator();
    float[] mask = {1, 1, 1, 1};
    float[] observation = {0.1f, -0.2f, 0.3f, 0.4f, -0.5f};
    double[] before = evaluator.probabilities(observation, 0, mask, 0).clone();
    double valueBefore = evaluator.value(observation, 0);

    observation[3] = 5f;
    observation[4] = -7f;

    assertThat(evaluator.probabilities(observation, 0, mask, 0)).containsExactly(before);
    assertThat(evaluator.value(observation, 0)).isNotEqualTo(valueBefore);
    assertThat(networks.actorInputSize()).isEqualTo(OBSERVATIONS - 2);
    assertThat(networks.observationSize()).isEqualTo(OBSERVATIONS);
  }

  @Test
  void theCriticLearnsNormalisedReturnsWhileItsValuesStayInReturnUnits() {
    SplittableRandom random = new SplittableRandom(4);
    ActorCritic networks = new ActorCritic(OBSERVATIONS, ACTIONS, new int[] {7, 6}, random);
    float[] observation = {0.1f, -0.2f, 0.3f, 0.4f, -0.5f};
    ActorCritic.Evaluator evaluator = networks.newEvaluator();
    double raw = evaluator.value(observation, 0);

    networks.valueNormalisation(300, 40);

    assertThat(evaluator.value(observation, 0)).isCloseTo(300 + 40 * raw, within(1e-9));
    assertThat(networks.normalisedValue(380)).isCloseTo(2, within(1e-12));
  }

  private static void checkGradients(PpoConfig config, long seed) {
    checkGradients(config, seed, 1);
  }

  /** {@code valueScale} != 1 puts the critic's output and its targets on different scales. */
  private static void checkGradients(PpoConfig config, long seed, double valueScale) {
    checkGradients(config, seed, valueScale, 0);
  }

  /** {@code criticOnly} last features go to the critic alone (an asymmetric actor-critic). */
  private static void checkGradients(
      PpoConfig config, long seed, double valueScale, int criticOnly) {
    SplittableRandom random = new SplittableRandom(seed);
    ActorCritic networks =
        new ActorCritic(OBSERVATIONS, OBSERVATIONS - criticOnly, ACTIONS, new int[] {7, 6}, random);
    perturb(networks.liveActorParameters(), random);
    perturb(networks.liveCriticParameters(), random);
    networks.valueNormalisation(1.5, valueScale);
    RolloutBatch batch = randomBatch(networks, random);
    PpoObjective objective = new PpoObjective(networks, config);
    int[] order = new int[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      order[i] = SAMPLES - 1 - i;
    }
    double[] actorGradient = new double[networks.actor().parameterCount()];
    double[] criticGradient = new double[networks.critic().parameterCount()];
    UpdateStatistics statistics = new UpdateStatistics();
    objective.lossAndGradient(batch, order, 0, SAMPLES, actorGradient, criticGradient, statistics);
    assertThat(statistics.clipped).as("some ratios leave the trust region").isPositive();
    assertThat(statistics.clipped).as("some stay inside").isLessThan(SAMPLES);

    double[] scratchActor = new double[actorGradient.length];
    double[] scratchCritic = new double[criticGradient.length];
    UpdateStatistics scratch = new UpdateStatistics();
    ToDoubleFunction<double[]> loss =
        p ->
            objective.lossAndGradient(
                batch, order, 0, SAMPLES, scratchActor, scratchCritic, scratch);
    assertThat(GradientCheck.maxRelativeError(networks.liveActorParameters(), actorGradient, loss))
        .as("actor")
        .isLessThan(1e-5);
    assertThat(
            GradientCheck.maxRelativeError(networks.liveCriticParameters(), criticGradient, loss))
        .as("critic")
        .isLessThan(1e-5);
  }

  /** Parameters of the scale a trained network has, so probabilities are far from uniform. */
  private static void perturb(double[] parameters, SplittableRandom random) {
    for (int i = 0; i < parameters.length; i++) {
      parameters[i] += random.nextDouble() - 0.5;
    }
  }

  /**
   * Random observations and masks (shed always allowed), actions among the allowed, behaviour
   * log-probabilities off the current ones by up to 0.5 (so ratios fall on both sides of the clip
   * range), and old values off the current ones (so the value clip, if on, binds for some).
   */
  private static RolloutBatch randomBatch(ActorCritic networks, SplittableRandom random) {
    RolloutBatch batch = new RolloutBatch(OBSERVATIONS, ACTIONS);
    ActorCritic.Evaluator evaluator = networks.newEvaluator();
    Normalisation identity = Normalisation.identity(OBSERVATIONS);
    float[] observation = new float[OBSERVATIONS];
    float[] mask = new float[ACTIONS];
    for (int s = 0; s < SAMPLES; s++) {
      for (int i = 0; i < OBSERVATIONS; i++) {
        observation[i] = (float) (2 * random.nextDouble() - 1);
      }
      for (int a = 0; a < ACTIONS - 1; a++) {
        mask[a] = random.nextDouble() < 0.7 ? 1 : 0;
      }
      mask[ACTIONS - 1] = 1;
      int action;
      do {
        action = random.nextInt(ACTIONS);
      } while (mask[action] == 0);
      evaluator.probabilities(observation, 0, mask, 0);
      double behaviour = evaluator.logProbability(action) + random.nextDouble() - 0.5;
      double value = evaluator.value(observation, 0) + 2 * random.nextDouble() - 1;
      batch.add(
          identity,
          observation,
          0,
          mask,
          0,
          action,
          behaviour,
          2 * random.nextDouble() - 1,
          3 * random.nextDouble(),
          value);
    }
    return batch;
  }
}
