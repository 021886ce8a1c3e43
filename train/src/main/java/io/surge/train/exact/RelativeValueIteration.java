package io.surge.train.exact;

/**
 * Relative value iteration for the average-reward {@link SingleServerMdp}: iterates {@code h <- T h
 * - (T h)(reference)} on the relative values {@code h(phase, backlog)} until the span of {@code T h
 * - h} (which brackets the optimal gain per tick) is below a tolerance. The chain is aperiodic (an
 * empty server stays empty in a tick without arrival), so the iteration converges. The same
 * iteration with a fixed policy instead of the maximum evaluates that policy exactly.
 */
public final class RelativeValueIteration {

  private static final int MAX_ITERATIONS = 1_000_000;

  private RelativeValueIteration() {}

  /**
   * The optimum.
   *
   * @param tolerance bound on the error of the gain per tick
   */
  public static Solution solve(SingleServerMdp mdp, double tolerance) {
    return iterate(mdp, null, tolerance);
  }

  /** The exact mean reward per request of {@code policy}. */
  public static double evaluate(SingleServerMdp mdp, StatePolicy policy, double tolerance) {
    return iterate(mdp, policy, tolerance).rewardPerRequest();
  }

  private static Solution iterate(SingleServerMdp mdp, StatePolicy policy, double tolerance) {
    int states = mdp.backlogCap() + 1;
    double[][] h = new double[SingleServerMdp.PHASES][states];
    double[][] next = new double[SingleServerMdp.PHASES][states];
    int[][] greedy = new int[SingleServerMdp.PHASES][states];
    double[] probabilities = new double[SingleServerMdp.ACTIONS];
    for (int iteration = 1; iteration <= MAX_ITERATIONS; iteration++) {
      double lowest = Double.POSITIVE_INFINITY;
      double highest = Double.NEGATIVE_INFINITY;
      for (int phase = 0; phase < SingleServerMdp.PHASES; phase++) {
        double p = mdp.arrival()[phase];
        for (int b = 0; b < states; b++) {
          double idle = expected(mdp, h, phase, SingleServerMdp.backlogAfterIdle(b));
          double arrival;
          if (policy == null) {
            arrival = Double.NEGATIVE_INFINITY;
            for (int a = 0; a < SingleServerMdp.ACTIONS; a++) {
              if (mdp.allowed(b, a)) {
                double q = actionValue(mdp, h, phase, b, a);
                if (q > arrival) {
                  arrival = q;
                  greedy[phase][b] = a;
                }
              }
            }
          } else {
            policy.probabilities(phase, b, probabilities);
            arrival = 0;
            for (int a = 0; a < SingleServerMdp.ACTIONS; a++) {
              if (probabilities[a] > 0) {
                arrival += probabilities[a] * actionValue(mdp, h, phase, b, a);
              }
            }
          }
          next[phase][b] = (1 - p) * idle + p * arrival;
          double difference = next[phase][b] - h[phase][b];
          lowest = Math.min(lowest, difference);
          highest = Math.max(highest, difference);
        }
      }
      double reference = next[0][0];
      for (int phase = 0; phase < SingleServerMdp.PHASES; phase++) {
        for (int b = 0; b < states; b++) {
          h[phase][b] = next[phase][b] - reference;
        }
      }
      if (highest - lowest < tolerance) {
        double gain = (highest + lowest) / 2;
        return new Solution(gain, gain / mdp.meanArrivalProbability(), greedy, iteration);
      }
    }
    throw new IllegalStateException("relative value iteration did not converge");
  }

  private static double actionValue(
      SingleServerMdp mdp, double[][] h, int phase, int backlog, int action) {
    return mdp.reward(backlog, action)
        + expected(mdp, h, phase, mdp.backlogAfterArrival(backlog, action));
  }

  /** {@code E[h(phase', backlog)]} over the phase switch at the end of the tick. */
  private static double expected(SingleServerMdp mdp, double[][] h, int phase, int backlog) {
    double q = mdp.switching()[phase];
    return (1 - q) * h[phase][backlog] + q * h[1 - phase][backlog];
  }

  /**
   * @param gainPerTick long-run reward per tick
   * @param rewardPerRequest long-run reward per request (gain / mean arrival probability)
   * @param actions an optimal action per (phase, backlog), for the optimum (else unspecified)
   * @param iterations iterations to convergence
   */
  public record Solution(
      double gainPerTick, double rewardPerRequest, int[][] actions, int iterations) {

    /** The optimal action when a request arrives in {@code phase} to {@code backlog}. */
    public int action(int phase, int backlog) {
      return actions[phase][backlog];
    }
  }
}
