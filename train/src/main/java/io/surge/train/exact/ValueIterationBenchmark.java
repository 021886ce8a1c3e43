package io.surge.train.exact;

import io.surge.train.ppo.PpoConfig;
import io.surge.train.ppo.PpoTrainer;
import java.time.Duration;
import java.util.Locale;

/**
 * How close PPO gets to the exact optimum: solves {@link #INSTANCE} by relative value iteration,
 * trains PPO on it (phase visible, rewards credited with their real delay), evaluates the learned
 * policy exactly (sampled and argmax) and prints optimum, PPO, ratio, wall time and steps/s.
 *
 * <p>Usage: {@code ValueIterationBenchmark [steps] [seed]}. Measured with 500,000 steps, seed 1,
 * default {@link PpoConfig}: optimum 0.73199 per request; PPO 0.73148 argmax (ratio 0.9993),
 * 0.72895 sampled (0.9958); 87 s, 5,800 steps/s on two shared cores.
 */
public final class ValueIterationBenchmark {

  /**
   * 5 ms ticks; 20 and 90 requests/s in the calm and the burst phase (mean dwell 1.25 s and 0.5 s);
   * a fast variant of 10 ms and 69.76 % (ResNet-18) and a slow one of 25 ms and 78.31 %
   * (ResNet-152); a 100 ms deadline; at most 150 ms of queued work. In a burst only the fast
   * variant keeps up (load 0.9 against 2.25), so the optimum mixes variants by backlog and phase.
   */
  public static final SingleServerMdp INSTANCE =
      new SingleServerMdp(
          new double[] {0.1, 0.45},
          new double[] {0.004, 0.01},
          new int[] {2, 5},
          new double[] {0.6976, 0.7831},
          20,
          30);

  private static final int EPISODE_DECISIONS = 4096;

  private ValueIterationBenchmark() {}

  public static void main(String[] args) {
    long steps = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
    long start = System.nanoTime();
    RelativeValueIteration.Solution optimum = RelativeValueIteration.solve(INSTANCE, 1e-10);
    double solveSeconds = (System.nanoTime() - start) / 1e9;

    SingleServerEnvironment shape = environment();
    PpoTrainer trainer =
        new PpoTrainer(ValueIterationBenchmark::environment, PpoConfig.defaults(), seed);
    var summary =
        trainer.train(
            steps,
            Duration.ofHours(1),
            r -> {
              if (r.updates() % 20 == 0) {
                System.out.printf(
                    Locale.ROOT,
                    "update %d steps %d reward/decision %.4f entropy %.3f kl %.4f%n",
                    r.updates(),
                    r.environmentSteps(),
                    r.meanRewardPerDecision(),
                    r.entropy(),
                    r.approximateKl());
              }
            });
    double sampled =
        RelativeValueIteration.evaluate(INSTANCE, shape.policyOf(trainer.networks(), false), 1e-9);
    double greedy =
        RelativeValueIteration.evaluate(INSTANCE, shape.policyOf(trainer.networks(), true), 1e-9);
    System.out.printf(
        Locale.ROOT,
        "optimum %.5f per request (RVI: %d iterations, %.2f s)%n"
            + "PPO sampled %.5f (ratio %.4f), argmax %.5f (ratio %.4f)%n"
            + "%d steps in %.1f s: %.0f steps/s%n",
        optimum.rewardPerRequest(),
        optimum.iterations(),
        solveSeconds,
        sampled,
        sampled / optimum.rewardPerRequest(),
        greedy,
        greedy / optimum.rewardPerRequest(),
        summary.environmentSteps(),
        summary.elapsedSeconds(),
        summary.environmentSteps() / summary.elapsedSeconds());
  }

  private static SingleServerEnvironment environment() {
    return new SingleServerEnvironment(INSTANCE, true, true, EPISODE_DECISIONS);
  }
}
