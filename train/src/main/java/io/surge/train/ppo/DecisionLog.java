package io.surge.train.ppo;

import java.util.Arrays;

/**
 * One environment's decisions in the order taken, oldest first: raw observation, mask, action,
 * behaviour log-probability, simulated time, and the reward once the environment credits it. Arrays
 * grow to the largest rollout and are then reused: steady-state logging allocates nothing.
 */
final class DecisionLog {

  private final int observationSize;
  private final int actionCount;
  private float[] observations;
  private float[] masks;
  private int[] actions;
  private double[] logProbabilities;
  private long[] timesNanos;
  private double[] rewards;
  private boolean[] credited;
  private boolean[] terminal;
  private int size;
  private int firstUncredited;

  DecisionLog(int observationSize, int actionCount, int capacity) {
    this.observationSize = observationSize;
    this.actionCount = actionCount;
    observations = new float[capacity * observationSize];
    masks = new float[capacity * actionCount];
    actions = new int[capacity];
    logProbabilities = new double[capacity];
    timesNanos = new long[capacity];
    rewards = new double[capacity];
    credited = new boolean[capacity];
    terminal = new boolean[capacity];
  }

  int size() {
    return size;
  }

  /** Position of the oldest decision whose reward is not known yet ({@link #size()} if none). */
  int firstUncredited() {
    return firstUncredited;
  }

  void append(
      float[] observation, float[] mask, int action, double logProbability, long timeNanos) {
    if (size == actions.length) {
      grow(size * 2);
    }
    System.arraycopy(observation, 0, observations, size * observationSize, observationSize);
    System.arraycopy(mask, 0, masks, size * actionCount, actionCount);
    actions[size] = action;
    logProbabilities[size] = logProbability;
    timesNanos[size] = timeNanos;
    rewards[size] = 0;
    credited[size] = false;
    terminal[size] = false;
    size++;
  }

  void credit(long position, double reward) {
    if (position < 0 || position >= size || credited[(int) position]) {
      throw new IllegalStateException(
          "the environment credited decision position " + position + " twice or out of range");
    }
    int p = (int) position;
    rewards[p] = reward;
    credited[p] = true;
    while (firstUncredited < size && credited[firstUncredited]) {
      firstUncredited++;
    }
  }

  /** Marks the newest decision as its episode's last (nothing to bootstrap from after it). */
  void markLastTerminal() {
    terminal[size - 1] = true;
  }

  /** Forgets the {@code n} oldest decisions, keeping the rest in order. */
  void removeFirst(int n) {
    int keep = size - n;
    System.arraycopy(observations, n * observationSize, observations, 0, keep * observationSize);
    System.arraycopy(masks, n * actionCount, masks, 0, keep * actionCount);
    System.arraycopy(actions, n, actions, 0, keep);
    System.arraycopy(logProbabilities, n, logProbabilities, 0, keep);
    System.arraycopy(timesNanos, n, timesNanos, 0, keep);
    System.arraycopy(rewards, n, rewards, 0, keep);
    System.arraycopy(credited, n, credited, 0, keep);
    System.arraycopy(terminal, n, terminal, 0, keep);
    size = keep;
    firstUncredited = Math.max(0, firstUncredited - n);
  }

  float[] observations() {
    return observations;
  }

  float[] masks() {
    return masks;
  }

  int action(int position) {
    return actions[position];
  }

  double logProbability(int position) {
    return logProbabilities[position];
  }

  long timeNanos(int position) {
    return timesNanos[position];
  }

  double reward(int position) {
    return rewards[position];
  }

  boolean terminal(int position) {
    return terminal[position];
  }

  private void grow(int capacity) {
    observations = Arrays.copyOf(observations, capacity * observationSize);
    masks = Arrays.copyOf(masks, capacity * actionCount);
    actions = Arrays.copyOf(actions, capacity);
    logProbabilities = Arrays.copyOf(logProbabilities, capacity);
    timesNanos = Arrays.copyOf(timesNanos, capacity);
    rewards = Arrays.copyOf(rewards, capacity);
    credited = Arrays.copyOf(credited, capacity);
    terminal = Arrays.copyOf(terminal, capacity);
  }
}
