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

  /** Appends one decision. */
  public void add(float[] observation, float[] mask, int action, double discountedReturn) {
    if (size == actions.length) {
      int n = Math.max(1024, size * 2);
      observations = Arrays.copyOf(observations, n * observationSize);
      masks = Arrays.copyOf(masks, n * actionCount);
      actions = Arrays.copyOf(actions, n);
      returns = Arrays.copyOf(returns, n);
    }
    System.arraycopy(observation, 0, observations, size * observationSize, observationSize);
    System.arraycopy(mask, 0, masks, size * actionCount, actionCount);
    actions[size] = action;
    returns[size] = discountedReturn;
    size++;
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
