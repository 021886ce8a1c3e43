package io.surge.train.exact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Value iteration on instances whose optimum can be worked out by hand. */
class RelativeValueIterationTest {

  private static final double FAST = 0.7;
  private static final double SLOW = 0.8;
  private static final int FAST_ACTION = 0;
  private static final int SLOW_ACTION = 1;
  private static final double P = 0.3;

  /** Both phases alike, so the phase plays no part and the chain is a plain queue. */
  private static SingleServerMdp sameInBothPhases(int fast, int slow, int deadline, int cap) {
    return new SingleServerMdp(
        new double[] {P, P},
        new double[] {0.1, 0.2},
        new int[] {fast, slow},
        new double[] {FAST, SLOW},
        deadline,
        cap);
  }

  @Test
  void looseDeadlineLightLoadServesEverythingSlow() {
    // load 0.2, deadline = cap = 40: the backlog practically never nears the cap, nothing is late
    SingleServerMdp mdp =
        new SingleServerMdp(
            new double[] {0.1, 0.1},
            new double[] {0.1, 0.2},
            new int[] {1, 2},
            new double[] {FAST, SLOW},
            40,
            40);
    RelativeValueIteration.Solution solution = RelativeValueIteration.solve(mdp, 1e-12);
    assertThat(solution.rewardPerRequest()).isCloseTo(SLOW, within(1e-9));
    for (int backlog = 0; backlog <= 10; backlog++) {
      assertThat(solution.action(0, backlog)).isEqualTo(SLOW_ACTION);
      assertThat(solution.action(1, backlog)).isEqualTo(SLOW_ACTION);
    }
  }

  /**
   * Fast 1 tick, slow 2, deadline 2. Slow is on time only on an empty server and leaves 1 tick
   * behind; with backlog 1 only fast is on time (and keeps the backlog at 1). Serving slow when
   * idle and fast when busy, the backlog is 1 exactly when the previous tick had an arrival
   * (probability p), so the mean reward per request is {@code (1 - p) SLOW + p FAST}; slow beats
   * fast when idle because the backlog it leaves costs only {@code h(0) - h(1) = p (SLOW - FAST)}.
   */
  @Test
  void slowWhenIdleFastWhenBusy() {
    SingleServerMdp mdp = sameInBothPhases(1, 2, 2, 3);
    RelativeValueIteration.Solution solution = RelativeValueIteration.solve(mdp, 1e-12);
    assertThat(solution.rewardPerRequest()).isCloseTo((1 - P) * SLOW + P * FAST, within(1e-9));
    assertThat(solution.action(0, 0)).isEqualTo(SLOW_ACTION);
    assertThat(solution.action(0, 1)).isEqualTo(FAST_ACTION);
    // always fast keeps the server empty: exactly FAST per request
    StatePolicy alwaysFast =
        (phase, backlog, out) -> {
          out[0] = 1;
          out[1] = 0;
          out[2] = 0;
        };
    assertThat(RelativeValueIteration.evaluate(mdp, alwaysFast, 1e-12))
        .isCloseTo(FAST, within(1e-9));
  }

  /**
   * Fast 2 ticks, slow 3, deadline 2: slow is always late, fast on time only on an empty server,
   * and with backlog 1 everything served would be late, so shedding is optimal there. The backlog
   * is 1 after an arrival to an empty server: {@code pi0 = 1 / (1 + p)}, reward per request {@code
   * FAST / (1 + p)}.
   */
  @Test
  void shedWhenEveryVariantWouldBeLate() {
    SingleServerMdp mdp = sameInBothPhases(2, 3, 2, 4);
    RelativeValueIteration.Solution solution = RelativeValueIteration.solve(mdp, 1e-12);
    assertThat(solution.rewardPerRequest()).isCloseTo(FAST / (1 + P), within(1e-9));
    assertThat(solution.action(0, 0)).isEqualTo(FAST_ACTION);
    assertThat(solution.action(0, 1)).isEqualTo(SingleServerMdp.SHED);
    assertThat(mdp.allowed(3, FAST_ACTION)).as("a full server forces a shed").isFalse();
  }

  @Test
  void environmentEarnsTheOptimumWhenFollowingTheOptimalPolicy() {
    SingleServerMdp mdp = TinyInstance.MDP;
    RelativeValueIteration.Solution solution = RelativeValueIteration.solve(mdp, 1e-12);
    float[] observation = new float[3];
    for (boolean delayed : new boolean[] {false, true}) {
      SingleServerEnvironment env = new SingleServerEnvironment(mdp, true, delayed, 200_000);
      var step = env.reset(7);
      double total = 0;
      long credits = 0;
      while (!step.done()) {
        System.arraycopy(step.observation(), 0, observation, 0, 3);
        int phase = observation[1] == 1 ? 0 : 1;
        step = env.step(solution.action(phase, (int) observation[0]), 1);
        for (int i = 0; i < step.credits(); i++) {
          total += step.creditedReward(i);
          credits++;
        }
      }
      assertThat(credits).isEqualTo(200_000);
      assertThat(total / credits).isCloseTo(solution.rewardPerRequest(), within(0.01));
    }
  }
}
