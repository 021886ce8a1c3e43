package io.surge.train.ppo;

import java.util.Arrays;

/**
 * Decisions of a teacher policy, for {@link PpoTrainer#imitate}: each raw observation and mask, the
 * teacher's action, and the discounted return of the rewards that followed (already scaled like
 * PPO's rewards), so that both the actor and the critic start where the teacher is.
 */
public final class Demonstrations {

  private final int observationSize;
  private final int actionCount;
  float[] observations = new float[0];
  float[] masks = new float[0];
  int[] actions = new int[0];
  double[] returns = new double[0];
  int size;

  public Demonstrations(int observationSize, int actionCount) {
    this.observationSize = observationSize;
    this.actionCount = actionCount;
  }

  /** Appends one decision: its observation and mask start at the given offsets. */
  public void add(
      float[] observation,
      int observationOffset,
      float[] mask,
      int maskOffset,
      int action,
      double discountedReturn) {
    if (size == actions.length) {
      int n = Math.max(1024, size * 2);
      observations = Arrays.copyOf(observations, n * observationSize);
      masks = Arrays.copyOf(masks, n * actionCount);
      actions = Arrays.copyOf(actions, n);
      returns = Arrays.copyOf(returns, n);
    }
    System.arraycopy(
        observation, observationOffset, observations, size * observationSize, observationSize);
    System.arraycopy(mask, maskOffset, masks, size * actionCount, actionCount);
    actions[size] = action;
    returns[size] = discountedReturn;
    size++;
  }

  /** The teacher's action of decision {@code i}. */
  public int action(int i) {
    return actions[i];
  }

  /** The discounted return that followed decision {@code i}, scaled. */
  public double discountedReturn(int i) {
    return returns[i];
  }

  /** Raw observations, one row of {@link #observationSize()} per decision (not a copy). */
  public float[] observations() {
    return observations;
  }

  /** Masks, one row of {@link #actionCount()} per decision (not a copy). */
  public float[] masks() {
    return masks;
  }

  public int size() {
    return size;
  }

  public int observationSize() {
    return observationSize;
  }

  public int actionCount() {
    return actionCount;
  }
}
