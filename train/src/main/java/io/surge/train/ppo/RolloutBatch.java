package io.surge.train.ppo;

import io.surge.train.nn.Normalisation;
import java.util.Arrays;

/**
 * One update's training samples, merged from every environment in environment order: normalised
 * observations, masks, the actions taken with their behaviour log-probabilities, and the GAE
 * advantages, returns and value estimates computed from the rollout.
 */
final class RolloutBatch {

  final int observationSize;
  final int actionCount;
  double[] observations = new double[0];
  float[] masks = new float[0];
  int[] actions = new int[0];
  double[] behaviourLogProbabilities = new double[0];
  double[] advantages = new double[0];
  double[] returns = new double[0];
  double[] values = new double[0];
  int size;

  RolloutBatch(int observationSize, int actionCount) {
    this.observationSize = observationSize;
    this.actionCount = actionCount;
  }

  void clear() {
    size = 0;
  }

  /** Appends a sample whose raw observation is normalised with {@code normalisation}. */
  void add(
      Normalisation normalisation,
      float[] rawObservations,
      int observationOffset,
      float[] rawMasks,
      int maskOffset,
      int action,
      double behaviourLogProbability,
      double advantage,
      double ret,
      double value) {
    if (size == actions.length) {
      grow(Math.max(256, size * 2));
    }
    normalisation.apply(rawObservations, observationOffset, observations, size * observationSize);
    System.arraycopy(rawMasks, maskOffset, masks, size * actionCount, actionCount);
    actions[size] = action;
    behaviourLogProbabilities[size] = behaviourLogProbability;
    advantages[size] = advantage;
    returns[size] = ret;
    values[size] = value;
    size++;
  }

  /**
   * Shifts and scales the advantages to mean 0 and standard deviation 1: the policy step's size
   * then does not depend on the reward scale or on how good the critic already is.
   */
  void normaliseAdvantages() {
    double mean = 0;
    for (int i = 0; i < size; i++) {
      mean += advantages[i];
    }
    mean /= size;
    double squares = 0;
    for (int i = 0; i < size; i++) {
      double d = advantages[i] - mean;
      squares += d * d;
    }
    double std = Math.sqrt(squares / size) + 1e-8;
    for (int i = 0; i < size; i++) {
      advantages[i] = (advantages[i] - mean) / std;
    }
  }

  private void grow(int capacity) {
    observations = Arrays.copyOf(observations, capacity * observationSize);
    masks = Arrays.copyOf(masks, capacity * actionCount);
    actions = Arrays.copyOf(actions, capacity);
    behaviourLogProbabilities = Arrays.copyOf(behaviourLogProbabilities, capacity);
    advantages = Arrays.copyOf(advantages, capacity);
    returns = Arrays.copyOf(returns, capacity);
    values = Arrays.copyOf(values, capacity);
  }
}
