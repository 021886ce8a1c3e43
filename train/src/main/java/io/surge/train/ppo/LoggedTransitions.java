package io.surge.train.ppo;

import io.surge.train.nn.Normalisation;
import java.util.Arrays;

/**
 * Decisions another process made and logged, in time order, as {@link PpoTrainer#trainOnLogged}
 * takes them: raw observations (with any critic-only features appended), masks, actions, the
 * behaviour probability each action was taken with, the rewards (unscaled, as the environment would
 * credit them) and the decision times.
 */
public final class LoggedTransitions {

  /** A logged probability below this is taken as this: the ratio's denominator stays sane. */
  static final double MIN_BEHAVIOUR_PROBABILITY = 1e-3;

  private final int observationSize;
  private final int actionCount;
  float[] observations = new float[0];
  float[] masks = new float[0];
  int[] actions = new int[0];
  double[] probabilities = new double[0];
  double[] rewards = new double[0];
  long[] timesNanos = new long[0];
  private int size;
  private int trainable = -1;

  public LoggedTransitions(int observationSize, int actionCount) {
    this.observationSize = observationSize;
    this.actionCount = actionCount;
  }

  /**
   * Appends a decision; times must not decrease.
   *
   * @param observation at least {@link #observationSize()} features (only those are kept)
   * @param probability the behaviour probability of {@code action}, in (0, 1]
   */
  public void add(
      float[] observation,
      float[] mask,
      int action,
      double probability,
      double reward,
      long timeNanos) {
    if (observation.length < observationSize || mask.length != actionCount) {
      throw new IllegalArgumentException(
          "observation of " + observation.length + " and mask of " + mask.length);
    }
    if (action < 0 || action >= actionCount || mask[action] == 0) {
      throw new IllegalArgumentException("action " + action + " is not an allowed action");
    }
    if (!(probability > 0 && probability <= 1)) {
      throw new IllegalArgumentException("behaviour probability must be in (0, 1]: " + probability);
    }
    if (size > 0 && timeNanos < timesNanos[size - 1]) {
      throw new IllegalArgumentException("decisions must come in time order");
    }
    if (size == actions.length) {
      int capacity = Math.max(256, size * 2);
      observations = Arrays.copyOf(observations, capacity * observationSize);
      masks = Arrays.copyOf(masks, capacity * actionCount);
      actions = Arrays.copyOf(actions, capacity);
      probabilities = Arrays.copyOf(probabilities, capacity);
      rewards = Arrays.copyOf(rewards, capacity);
      timesNanos = Arrays.copyOf(timesNanos, capacity);
    }
    System.arraycopy(observation, 0, observations, size * observationSize, observationSize);
    System.arraycopy(mask, 0, masks, size * actionCount, actionCount);
    actions[size] = action;
    probabilities[size] = probability;
    rewards[size] = reward;
    timesNanos[size] = timeNanos;
    size++;
  }

  /**
   * Only the first {@code count} decisions are training samples; the later ones complete their
   * returns. Without a call, all are samples.
   */
  public LoggedTransitions trainOnFirst(int count) {
    if (count < 0 || count > size) {
      throw new IllegalArgumentException(count + " samples of " + size + " decisions");
    }
    this.trainable = count;
    return this;
  }

  public int size() {
    return size;
  }

  public int trainable() {
    return trainable < 0 ? size : trainable;
  }

  /** A copy of decision {@code i}'s observation. */
  public float[] observation(int i) {
    return Arrays.copyOfRange(observations, i * observationSize, (i + 1) * observationSize);
  }

  public int action(int i) {
    return actions[i];
  }

  public double reward(int i) {
    return rewards[i];
  }

  public long timeNanos(int i) {
    return timesNanos[i];
  }

  public int observationSize() {
    return observationSize;
  }

  public int actionCount() {
    return actionCount;
  }

  /**
   * Appends the first {@code count} decisions to {@code batch} as PPO samples: the behaviour
   * log-probability is the logged one, so the objective's ratio is {@code p(a) / mu(a)}.
   */
  void addTo(
      RolloutBatch batch,
      Normalisation normalisation,
      int count,
      double[] advantages,
      double[] returns,
      double[] values) {
    for (int i = 0; i < count; i++) {
      batch.add(
          normalisation,
          observations,
          i * observationSize,
          masks,
          i * actionCount,
          actions[i],
          behaviourLogProbability(i),
          advantages[i],
          returns[i],
          values[i]);
    }
  }

  double behaviourLogProbability(int i) {
    return StrictMath.log(Math.max(MIN_BEHAVIOUR_PROBABILITY, probabilities[i]));
  }
}
