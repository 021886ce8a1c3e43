package io.surge.train.ppo;

import io.surge.sim.env.EnvStep;
import io.surge.sim.env.SchedulingEnvironment;
import io.surge.train.nn.Normalisation;
import io.surge.train.nn.ObservationNormaliser;
import java.util.SplittableRandom;

/**
 * One environment instance, its own random stream (actions and episode seeds) and its decision log:
 * collects one rollout segment per update, in whatever thread runs it, reading the shared networks
 * without writing them. Its results depend only on its seed and the networks' parameters.
 *
 * <p><b>Delayed rewards.</b> The environment credits a decision's reward when its request
 * completes, a few decisions later. A segment of {@code T} decisions therefore ends only when all
 * {@code T} are credited: the worker keeps acting past the {@code T}-th decision until then, and
 * the extra decisions (with their behaviour log-probabilities) become the start of the next
 * segment. The alternative, cutting at {@code T} and bootstrapping, would have to drop or guess the
 * rewards still in flight, a bias at every segment end; carrying over costs only that those few
 * decisions are slightly off-policy at the next update, which PPO's ratio to their behaviour
 * probability accounts for. The segment's last decision bootstraps from the decision after it.
 */
final class RolloutWorker {

  /** Acting this many segment lengths past a segment's end without its credits is a bug. */
  private static final int MAX_CREDIT_WAIT_SEGMENTS = 10;

  private final SchedulingEnvironment environment;
  private final SplittableRandom random;
  private final ActorCritic.Evaluator evaluator;
  private final DecisionLog log;
  private final double rewardScale;
  private EnvStep pending;
  private long episodeStart;
  private int segment;
  private double[] values = new double[0];
  private double[] advantages = new double[0];

  RolloutWorker(
      SchedulingEnvironment environment, ActorCritic networks, long seed, double rewardScale) {
    this.rewardScale = rewardScale;
    this.environment = environment;
    this.random = new SplittableRandom(seed);
    this.evaluator = networks.newEvaluator();
    this.log = new DecisionLog(environment.observationSize(), environment.actionCount(), 256);
  }

  /**
   * Acts until the segment's {@code decisions} are all taken and credited, then computes their GAE
   * advantages with the current critic.
   *
   * @return environment steps taken
   */
  long collect(int decisions, PpoConfig config) {
    if (pending == null) {
      startEpisode();
    }
    segment = decisions;
    long steps = 0;
    long limit = (long) decisions * (MAX_CREDIT_WAIT_SEGMENTS + 1);
    while (log.size() < decisions || log.firstUncredited() < decisions) {
      if (steps++ > limit) {
        throw new IllegalStateException(
            "the environment left decision " + log.firstUncredited() + " uncredited too long");
      }
      act();
    }
    estimateAdvantages(config);
    return steps;
  }

  private void act() {
    if (episodeStart + pending.decision() != log.size()) {
      throw new IllegalStateException("the environment skipped or repeated a decision index");
    }
    float[] observation = pending.observation();
    float[] mask = pending.mask();
    double[] probabilities = evaluator.probabilities(observation, 0, mask, 0);
    int action = sample(probabilities);
    log.append(observation, mask, action, evaluator.logProbability(action), pending.timeNanos());
    pending = environment.step(action, probabilities[action]);
    applyCredits();
    if (pending.done()) {
      log.markLastTerminal();
      startEpisode();
    }
  }

  private void startEpisode() {
    pending = environment.reset(random.nextLong());
    episodeStart = log.size();
    applyCredits();
  }

  private void applyCredits() {
    for (int i = 0; i < pending.credits(); i++) {
      log.credit(
          episodeStart + pending.creditedDecision(i), pending.creditedReward(i) * rewardScale);
    }
  }

  private int sample(double[] probabilities) {
    double u = random.nextDouble();
    double cumulative = 0;
    int last = -1;
    for (int a = 0; a < probabilities.length; a++) {
      if (probabilities[a] > 0) {
        cumulative += probabilities[a];
        last = a;
        if (u < cumulative) {
          return a;
        }
      }
    }
    return last; // rounding left u above the total
  }

  /**
   * GAE over the segment with the config's discount and lambda between each decision and the next
   * (per decision or per simulated second); an episode's last decision has no successor.
   */
  private void estimateAdvantages(PpoConfig config) {
    if (values.length < segment + 1) {
      values = new double[segment + 1];
      advantages = new double[segment];
    }
    float[] observations = log.observations();
    int d = environment.observationSize();
    for (int k = 0; k < segment; k++) {
      values[k] = evaluator.value(observations, k * d);
    }
    long nextTime;
    if (log.terminal(segment - 1)) {
      values[segment] = 0;
      nextTime = log.timeNanos(segment - 1);
    } else if (log.size() > segment) {
      values[segment] = evaluator.value(observations, segment * d);
      nextTime = log.timeNanos(segment);
    } else {
      values[segment] = evaluator.value(pending.observation(), 0);
      nextTime = pending.timeNanos();
    }
    double running = 0;
    for (int k = segment - 1; k >= 0; k--) {
      double continues = log.terminal(k) ? 0 : 1;
      double gamma = config.discount(log.timeNanos(k), nextTime);
      double lambda = config.lambda(log.timeNanos(k), nextTime);
      nextTime = log.timeNanos(k);
      double delta = log.reward(k) + gamma * continues * values[k + 1] - values[k];
      running = delta + gamma * lambda * continues * running;
      advantages[k] = running;
    }
  }

  /** Sum of the segment's rewards. */
  double rewardSum() {
    double sum = 0;
    for (int k = 0; k < segment; k++) {
      sum += log.reward(k);
    }
    return sum;
  }

  /** Adds the segment's samples to the batch, normalised with the update's normalisation. */
  void addTo(RolloutBatch batch, Normalisation normalisation) {
    int d = environment.observationSize();
    int a = environment.actionCount();
    for (int k = 0; k < segment; k++) {
      batch.add(
          normalisation,
          log.observations(),
          k * d,
          log.masks(),
          k * a,
          log.action(k),
          log.logProbability(k),
          advantages[k],
          advantages[k] + values[k],
          values[k]);
    }
  }

  /** Folds the segment's raw observations into the running statistics. */
  void observeInto(ObservationNormaliser normaliser) {
    int d = environment.observationSize();
    for (int k = 0; k < segment; k++) {
      normaliser.observe(log.observations(), k * d);
    }
  }

  /** Drops the finished segment; decisions taken after it stay for the next one. */
  void release() {
    log.removeFirst(segment);
    episodeStart -= segment;
    segment = 0;
  }
}
