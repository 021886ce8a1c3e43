package io.surge.train.exact;

import io.surge.sim.env.EnvStep;
import io.surge.sim.env.SchedulingEnvironment;
import io.surge.train.ppo.ActorCritic;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * {@link SingleServerMdp} as a training environment, decision by decision (one decision per
 * arriving request). Observation: the backlog in ticks, then, if the phase is visible, the phase
 * one-hot. Rewards are credited either at the decision or, like the real system, when the answer is
 * back ({@code latency} ticks after the arrival; at once when shed). An episode ends after a fixed
 * number of decisions, with every outstanding reward credited.
 */
public final class SingleServerEnvironment implements SchedulingEnvironment {

  /** Simulated time per tick, for time-based discounts (the value-iteration benchmark's 5 ms). */
  static final long NANOS_PER_TICK = 5_000_000;

  private final SingleServerMdp mdp;
  private final boolean phaseVisible;
  private final boolean delayedCredit;
  private final int episodeDecisions;
  private final EnvStep step;
  private SplittableRandom random;
  private int phase;
  private int backlog;
  private long tick;
  private long decision;
  // served requests not yet credited, in completion order (FIFO: completions are increasing)
  private final long[] outstandingDecisions;
  private final long[] outstandingCompletions;
  private final double[] outstandingRewards;
  private int outstandingHead;
  private int outstandingCount;

  public SingleServerEnvironment(
      SingleServerMdp mdp, boolean phaseVisible, boolean delayedCredit, int episodeDecisions) {
    this.mdp = mdp;
    this.phaseVisible = phaseVisible;
    this.delayedCredit = delayedCredit;
    this.episodeDecisions = episodeDecisions;
    this.step = new EnvStep(observationSize(), actionCount());
    // at most one arrival per tick, each completing within backlogCap ticks
    int capacity = mdp.backlogCap() + 1;
    this.outstandingDecisions = new long[capacity];
    this.outstandingCompletions = new long[capacity];
    this.outstandingRewards = new double[capacity];
  }

  @Override
  public int observationSize() {
    return phaseVisible ? 1 + SingleServerMdp.PHASES : 1;
  }

  @Override
  public int actionCount() {
    return SingleServerMdp.ACTIONS;
  }

  @Override
  public EnvStep reset(long seed) {
    random = new SplittableRandom(seed);
    phase = random.nextDouble() < mdp.stationary(0) ? 0 : 1;
    backlog = 0;
    tick = 0;
    decision = 0;
    outstandingCount = 0;
    step.clearCredits();
    runToArrival();
    return step;
  }

  @Override
  public EnvStep step(int action, double probability) {
    if (!mdp.allowed(backlog, action)) {
      throw new IllegalArgumentException("action " + action + " is masked at backlog " + backlog);
    }
    step.clearCredits();
    double reward = mdp.reward(backlog, action);
    if (!delayedCredit || action == SingleServerMdp.SHED) {
      step.credit(decision, reward);
    } else {
      enqueue(decision, tick + mdp.latency(backlog, action), reward);
    }
    backlog = mdp.backlogAfterArrival(backlog, action);
    endTick();
    decision++;
    if (decision == episodeDecisions) {
      releaseCredits(Long.MAX_VALUE);
      step.finish();
      return step;
    }
    runToArrival();
    return step;
  }

  /** Writes the observation of a request arriving in {@code phase} to {@code backlog}. */
  public void observation(int phase, int backlog, float[] out) {
    out[0] = backlog;
    if (phaseVisible) {
      out[1] = phase == 0 ? 1 : 0;
      out[2] = phase == 1 ? 1 : 0;
    }
  }

  /** Writes the action mask at {@code backlog}. */
  public void mask(int backlog, float[] out) {
    for (int a = 0; a < SingleServerMdp.ACTIONS; a++) {
      out[a] = mdp.allowed(backlog, a) ? 1 : 0;
    }
  }

  /**
   * The trained actor as a {@link StatePolicy} of the MDP (for exact evaluation): its sampling
   * probabilities, or with {@code greedy} the argmax (evaluation mode).
   */
  public StatePolicy policyOf(ActorCritic networks, boolean greedy) {
    ActorCritic.Evaluator evaluator = networks.newEvaluator();
    float[] observation = new float[observationSize()];
    float[] mask = new float[actionCount()];
    return (phase, backlog, out) -> {
      observation(phase, backlog, observation);
      mask(backlog, mask);
      double[] p = evaluator.probabilities(observation, 0, mask, 0);
      int best = 0;
      for (int a = 0; a < p.length; a++) {
        out[a] = p[a];
        best = p[a] > p[best] ? a : best;
      }
      if (greedy) {
        Arrays.fill(out, 0);
        out[best] = 1;
      }
    };
  }

  /** Ticks without arrival pass; stops at the tick where the next request arrives. */
  private void runToArrival() {
    while (random.nextDouble() >= mdp.arrival()[phase]) {
      backlog = SingleServerMdp.backlogAfterIdle(backlog);
      endTick();
    }
    releaseCredits(tick);
    observation(phase, backlog, step.observation());
    mask(backlog, step.mask());
    step.pending(decision, tick * NANOS_PER_TICK);
  }

  private void endTick() {
    if (random.nextDouble() < mdp.switching()[phase]) {
      phase = 1 - phase;
    }
    tick++;
  }

  private void enqueue(long decisionIndex, long completion, double reward) {
    int slot = (outstandingHead + outstandingCount) % outstandingDecisions.length;
    outstandingDecisions[slot] = decisionIndex;
    outstandingCompletions[slot] = completion;
    outstandingRewards[slot] = reward;
    outstandingCount++;
  }

  /** Credits every outstanding request whose answer is back by {@code now}. */
  private void releaseCredits(long now) {
    while (outstandingCount > 0 && outstandingCompletions[outstandingHead] <= now) {
      step.credit(outstandingDecisions[outstandingHead], outstandingRewards[outstandingHead]);
      outstandingHead = (outstandingHead + 1) % outstandingDecisions.length;
      outstandingCount--;
    }
  }
}
