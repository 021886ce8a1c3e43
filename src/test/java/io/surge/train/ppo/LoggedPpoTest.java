package io.surge.train.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.surge.sim.env.EnvStep;
import io.surge.sim.env.SchedulingEnvironment;
import io.surge.train.nn.GradientCheck;
import io.surge.train.nn.Normalisation;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * PPO on logged decisions: the ratio is to the logged behaviour probability, the clipped objective
 * has the analytic gradient, a ratio beyond the clip in the advantage's direction gives none, and
 * passes on a logged bandit move the policy towards the rewarded actions.
 */
class LoggedPpoTest {

  private static final int OBSERVATIONS = 4;
  private static final int ACTIONS = 3;
  private static final Normalisation IDENTITY = Normalisation.identity(OBSERVATIONS);
  private static final PpoConfig NO_ENTROPY =
      PpoConfig.defaults().toBuilder().entropyCoefficient(0).build();

  @Test
  void theRatioIsToTheLoggedBehaviourProbability() {
    ActorCritic networks = networks(1);
    float[] observation = {0.3f, -0.1f, 0.2f, 0.5f};
    float[] mask = {1, 1, 1};
    double p = networks.newEvaluator().probabilities(observation, 0, mask, 0)[1];
    double mu = p / 1.1; // ratio 1.1, inside the clip range of 0.2
    RolloutBatch batch = batch(observation, mask, 1, mu, 2.0);
    assertThat(batch.behaviourLogProbabilities[0]).isCloseTo(Math.log(mu), within(1e-12));
    UpdateStatistics statistics = new UpdateStatistics();

    new PpoObjective(networks, NO_ENTROPY)
        .lossAndGradient(
            batch,
            new int[] {0},
            0,
            1,
            new double[networks.actor().parameterCount()],
            new double[networks.critic().parameterCount()],
            statistics);

    assertThat(statistics.policyLoss).isCloseTo(-1.1 * 2.0, within(1e-9));
    assertThat(statistics.clipped).isZero();
  }

  @Test
  void aRatioBeyondTheClipInTheAdvantagesDirectionGivesNoGradient() {
    ActorCritic networks = networks(2);
    float[] observation = {0.3f, -0.1f, 0.2f, 0.5f};
    float[] mask = {1, 1, 1};
    double[] probabilities = networks.newEvaluator().probabilities(observation, 0, mask, 0);
    int a = 0; // the least likely action, so that twice its probability is still one
    for (int i = 1; i < ACTIONS; i++) {
      a = probabilities[i] < probabilities[a] ? i : a;
    }
    double p = probabilities[a];

    // already 1.5 times likelier than when logged: a positive advantage asks for no more
    assertThat(actorGradientNorm(networks, batch(observation, mask, a, p / 1.5, 1.0))).isZero();
    // already 0.5 times as likely: a negative advantage asks for no less
    assertThat(actorGradientNorm(networks, batch(observation, mask, a, p / 0.5, -1.0))).isZero();
    // the same ratios against the advantage's direction are not clipped: they pull back
    assertThat(actorGradientNorm(networks, batch(observation, mask, a, p / 1.5, -1.0)))
        .isPositive();
    assertThat(actorGradientNorm(networks, batch(observation, mask, a, p / 0.5, 1.0))).isPositive();
    // inside the clip range the gradient flows either way
    assertThat(actorGradientNorm(networks, batch(observation, mask, a, p, 1.0))).isPositive();
  }

  @Test
  void gradientOfTheLoggedObjectiveMatchesFiniteDifferences() {
    SplittableRandom random = new SplittableRandom(3);
    ActorCritic networks = networks(3);
    double[] critic = networks.liveCriticParameters();
    for (int i = 0; i < critic.length; i++) {
      critic[i] += random.nextDouble() - 0.5;
    }
    LoggedTransitions logged = new LoggedTransitions(OBSERVATIONS, ACTIONS);
    int n = 32;
    double[] advantages = new double[n];
    double[] returns = new double[n];
    double[] values = new double[n];
    float[] observation = new float[OBSERVATIONS];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < OBSERVATIONS; f++) {
        observation[f] = (float) (2 * random.nextDouble() - 1);
      }
      float[] mask = {random.nextDouble() < 0.7 ? 1 : 0, 1, 1};
      int action = 1 + random.nextInt(2);
      // behaviour probabilities far from the current ones: ratios on both sides of the clip
      logged.add(observation, mask, action, 0.05 + 0.9 * random.nextDouble(), 50, i * 1_000_000L);
      advantages[i] = 2 * random.nextDouble() - 1;
      returns[i] = random.nextDouble();
      values[i] = random.nextDouble();
    }
    RolloutBatch batch = new RolloutBatch(OBSERVATIONS, ACTIONS);
    logged.addTo(batch, IDENTITY, n, advantages, returns, values);
    PpoObjective objective = new PpoObjective(networks, NO_ENTROPY);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    double[] actorGradient = new double[networks.actor().parameterCount()];
    double[] criticGradient = new double[networks.critic().parameterCount()];
    UpdateStatistics statistics = new UpdateStatistics();
    objective.lossAndGradient(batch, order, 0, n, actorGradient, criticGradient, statistics);
    assertThat(statistics.clipped).as("some ratios leave the trust region").isPositive();
    assertThat(statistics.clipped).as("some stay inside").isLessThan(n);

    double[] scratchActor = new double[actorGradient.length];
    double[] scratchCritic = new double[criticGradient.length];
    ToDoubleFunction<double[]> loss =
        q ->
            objective.lossAndGradient(
                batch, order, 0, n, scratchActor, scratchCritic, new UpdateStatistics());
    assertThat(GradientCheck.maxRelativeError(networks.liveActorParameters(), actorGradient, loss))
        .isLessThan(1e-5);
    assertThat(
            GradientCheck.maxRelativeError(networks.liveCriticParameters(), criticGradient, loss))
        .isLessThan(1e-5);
  }

  @Test
  void passesOnALoggedBanditMoveThePolicyTowardsTheRewardedActions() {
    // sign of feature 0 decides which of actions 0 and 1 pays; the logger chose uniformly
    PpoTrainer trainer =
        new PpoTrainer(
            () -> new ShapeOnly(OBSERVATIONS, ACTIONS),
            PpoConfig.defaults().toBuilder()
                .entropyCoefficient(0)
                .minibatchSize(64)
                .discountSeconds(0.5)
                .learningRate(3e-3)
                .build(),
            5);
    SplittableRandom random = new SplittableRandom(5);
    LoggedTransitions logged = new LoggedTransitions(OBSERVATIONS, ACTIONS);
    float[] mask = {1, 1, 1};
    for (int i = 0; i < 2_000; i++) {
      float sign = random.nextBoolean() ? 1 : -1;
      float[] observation = {sign, (float) random.nextDouble(), 0, 0};
      int action = random.nextInt(ACTIONS);
      double reward = (sign > 0 ? action == 0 : action == 1) ? 1 : 0;
      // 10 s apart: no return carries over, each decision's return is its own reward
      logged.add(observation, mask, action, 1.0 / ACTIONS, reward, i * 10_000_000_000L);
    }
    ActorCritic.Evaluator evaluator = trainer.networks().newEvaluator();
    float[] positive = {1, 0.5f, 0, 0};
    float[] negative = {-1, 0.5f, 0, 0};
    double before0 = evaluator.probabilities(positive, 0, mask, 0)[0];
    double before1 = evaluator.probabilities(negative, 0, mask, 0)[1];

    UpdateReport report = trainer.trainOnLogged(logged, 4, 8, 3e-3, TrainingListener.NONE);

    assertThat(report).isNotNull();
    // the clip bounds how far the passes may move from the logged probabilities (1/3 each)
    assertThat(evaluator.probabilities(positive, 0, mask, 0)[0]).isGreaterThan(before0 + 0.05);
    assertThat(evaluator.probabilities(negative, 0, mask, 0)[1]).isGreaterThan(before1 + 0.05);
  }

  @Test
  void onlyTheFirstTrainableDecisionsAreSamplesAndBadRecordsAreRefused() {
    LoggedTransitions logged = new LoggedTransitions(OBSERVATIONS, ACTIONS);
    float[] observation = {0, 0, 0, 0};
    logged.add(observation, new float[] {1, 1, 1}, 2, 0.5, 1, 0);
    logged.add(observation, new float[] {1, 1, 1}, 2, 0.5, 1, 5);
    assertThat(logged.trainable()).isEqualTo(2);
    assertThat(logged.trainOnFirst(1).trainable()).isEqualTo(1);
    assertThatThrownBy(() -> logged.add(observation, new float[] {0, 1, 1}, 0, 0.5, 1, 9))
        .hasMessageContaining("not an allowed action");
    assertThatThrownBy(() -> logged.add(observation, new float[] {1, 1, 1}, 0, 0, 1, 9))
        .hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> logged.add(observation, new float[] {1, 1, 1}, 0, 0.5, 1, 1))
        .hasMessageContaining("time order");
  }

  private static ActorCritic networks(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    ActorCritic networks = new ActorCritic(OBSERVATIONS, ACTIONS, new int[] {6, 5}, random);
    double[] actor = networks.liveActorParameters();
    for (int i = 0; i < actor.length; i++) {
      actor[i] += random.nextDouble() - 0.5;
    }
    return networks;
  }

  private static RolloutBatch batch(
      float[] observation, float[] mask, int action, double behaviour, double advantage) {
    LoggedTransitions logged = new LoggedTransitions(OBSERVATIONS, ACTIONS);
    logged.add(observation, mask, action, behaviour, 0, 0);
    RolloutBatch batch = new RolloutBatch(OBSERVATIONS, ACTIONS);
    logged.addTo(batch, IDENTITY, 1, new double[] {advantage}, new double[1], new double[1]);
    return batch;
  }

  private static double actorGradientNorm(ActorCritic networks, RolloutBatch batch) {
    double[] gradient = new double[networks.actor().parameterCount()];
    new PpoObjective(networks, NO_ENTROPY)
        .lossAndGradient(
            batch,
            new int[] {0},
            0,
            1,
            gradient,
            new double[networks.critic().parameterCount()],
            new UpdateStatistics());
    double sum = 0;
    for (double g : gradient) {
      sum += g * g;
    }
    return Math.sqrt(sum);
  }

  /** Only the shapes: the trainer here learns from logged decisions, never from rollouts. */
  private record ShapeOnly(int observationSize, int actionCount) implements SchedulingEnvironment {
    @Override
    public EnvStep reset(long seed) {
      throw new UnsupportedOperationException("logged decisions only");
    }

    @Override
    public EnvStep step(int action, double probability) {
      throw new UnsupportedOperationException("logged decisions only");
    }
  }
}
