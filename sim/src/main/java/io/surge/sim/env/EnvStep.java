package io.surge.sim.env;

import java.util.Arrays;

/**
 * What {@link SchedulingEnvironment#reset} and {@link SchedulingEnvironment#step} return, reused
 * between calls (no allocation per step): the pending decision's observation and mask, its index,
 * whether the episode ended, and the rewards credited since the previous call, each to the decision
 * (by index) whose request just completed.
 */
public final class EnvStep {

  private final float[] observation;
  private final float[] mask;
  private long decision;
  private long timeNanos;
  private boolean done;
  private long[] creditedDecisions = new long[64];
  private double[] creditedRewards = new double[64];
  private int credits;

  public EnvStep(int observationSize, int actionCount) {
    this.observation = new float[observationSize];
    this.mask = new float[actionCount];
  }

  /** The pending decision's observation (undefined once {@link #done()}). */
  public float[] observation() {
    return observation;
  }

  /** 1 allowed, 0 not; shed (last) always allowed. */
  public float[] mask() {
    return mask;
  }

  /** Index of the pending decision: 0, 1, 2, ... within the episode. */
  public long decision() {
    return decision;
  }

  /** Simulated time of the pending decision, in nanoseconds since the episode's start. */
  public long timeNanos() {
    return timeNanos;
  }

  public boolean done() {
    return done;
  }

  /** Number of rewards credited since the previous call. */
  public int credits() {
    return credits;
  }

  /** The decision the {@code i}-th credit belongs to. */
  public long creditedDecision(int i) {
    return creditedDecisions[i];
  }

  public double creditedReward(int i) {
    return creditedRewards[i];
  }

  // ---------------------------------------------------------------- for environments

  /** Starts a new call's answer: no credits yet. */
  public void clearCredits() {
    credits = 0;
  }

  public void credit(long decisionIndex, double reward) {
    if (credits == creditedDecisions.length) {
      creditedDecisions = Arrays.copyOf(creditedDecisions, credits * 2);
      creditedRewards = Arrays.copyOf(creditedRewards, credits * 2);
    }
    creditedDecisions[credits] = decisionIndex;
    creditedRewards[credits] = reward;
    credits++;
  }

  public void pending(long decisionIndex, long timeNanos) {
    this.decision = decisionIndex;
    this.timeNanos = timeNanos;
    this.done = false;
  }

  public void finish() {
    this.done = true;
  }
}
