package io.surge.train.online;

import io.surge.train.TrainingPlan;
import io.surge.train.ppo.PpoConfig;
import java.time.Duration;

/**
 * How the online learner works; {@link #defaults()} for a process beside the job, small values for
 * tests.
 *
 * @param minDecisions decisions of the service the window must hold before a cycle trains
 * @param criticSteps simulator steps that train the fresh critic alone before the actor moves
 * @param trainingSteps simulator steps of PPO per candidate, from the running policy
 * @param episodeSeconds simulated seconds per training episode
 * @param ppo PPO settings (the hidden widths are the running policy's, whatever these say)
 * @param latePenalty the training-only reward of a late or failed request (shaping, as {@code surge
 *     train --late-penalty}); the guard scores effective accuracy
 * @param guardSeeds scenarios per policy the guard runs
 * @param guardSeconds simulated seconds per guard scenario
 * @param margin how far below zero the CI of the difference may reach (fraction, 0.0025 = 0.25 pp)
 * @param threads guard scenarios in parallel
 * @param wallClockCap caps one candidate's training; null: none
 * @param seed the first cycle's training seed; each cycle adds one
 * @param burnInSeconds each training episode first runs the running policy (argmax) for up to this
 *     long, drawn per episode, so that PPO sees the loaded site and not only the transient after an
 *     empty start; 0: none (DESIGN.md section 10)
 * @param privilegedCritic train candidates with an asymmetric critic, as the shipped policy was
 *     trained ({@code surge train --privileged-critic}): the critic also sees the simulator's next
 *     second of arrivals and each server's slow-down (the live factors)
 * @param loggedCriticEpochs passes that fit the critic alone to the logged decisions' returns
 *     before the PPO passes on them
 * @param loggedEpochs PPO passes on the logged decisions (clipped ratios to their behaviour
 *     probabilities) before the simulator's PPO steps; 0: none. Only meaningful when the job
 *     samples its decisions ({@code surge.policy.mode: SAMPLE}): under ARGMAX the logged action is
 *     the only one ever taken in its state, so its advantage is zero in expectation and the logged
 *     probability is not the behaviour probability (DESIGN.md section 10)
 */
public record LearnerSettings(
    int minDecisions,
    long criticSteps,
    long trainingSteps,
    double episodeSeconds,
    PpoConfig ppo,
    double latePenalty,
    int guardSeeds,
    double guardSeconds,
    double margin,
    int threads,
    Duration wallClockCap,
    long seed,
    double burnInSeconds,
    boolean privilegedCritic,
    int loggedCriticEpochs,
    int loggedEpochs) {

  public LearnerSettings {
    if (loggedCriticEpochs < 0 || loggedEpochs < 0) {
      throw new IllegalArgumentException("logged epochs must be >= 0");
    }
  }

  /**
   * A candidate every few minutes on two cores: 64k critic-only steps (16 updates of the shipped
   * recipe's 16 x 256 decisions: a fresh critic's advantages are noise, and with returns of
   * hundreds of decisions per discount horizon its loss starts near 100 without value
   * normalisation), then 64k PPO steps at a small step size without the entropy bonus (the bonus,
   * meant against early collapse from scratch, moves a trained policy's argmax), judged on 5
   * scenarios of 60 s; each training episode (30 s) starts after up to 20 s of the running policy
   * from reset, since the budget covers only 3-6 s per environment at E2's rates and without a
   * burn-in that is the transient after an empty start. Measured in docs/BENCHMARKS.md: without the
   * burn-in, candidates were worse than the shipped policy (-10.44 pp) and rejected; with it, the
   * same cycle's candidate was better (+0.43 +- 0.30 pp) and published. The critic is the shipped
   * recipe's asymmetric one; no PPO passes on logged decisions (the job serves argmax by default:
   * DESIGN.md section 10), 4 critic passes before them when they are asked for.
   */
  public static LearnerSettings defaults() {
    return new LearnerSettings(
        2_000,
        65_536,
        65_536,
        30,
        TrainingPlan.edgeServingPpo().toBuilder()
            .learningRate(3e-5)
            .annealLearningRate(false)
            .entropyCoefficient(0)
            .normaliseValues(true)
            .build(),
        -30,
        5,
        60,
        0.0025,
        2,
        Duration.ofMinutes(5),
        1,
        20,
        true,
        4,
        0);
  }

  public LearnerSettings withGuardSeconds(double seconds) {
    return new LearnerSettings(
        minDecisions,
        criticSteps,
        trainingSteps,
        episodeSeconds,
        ppo,
        latePenalty,
        guardSeeds,
        seconds,
        margin,
        threads,
        wallClockCap,
        seed,
        burnInSeconds,
        privilegedCritic,
        loggedCriticEpochs,
        loggedEpochs);
  }

  public LearnerSettings withBurnInSeconds(double seconds) {
    return new LearnerSettings(
        minDecisions,
        criticSteps,
        trainingSteps,
        episodeSeconds,
        ppo,
        latePenalty,
        guardSeeds,
        guardSeconds,
        margin,
        threads,
        wallClockCap,
        seed,
        seconds,
        privilegedCritic,
        loggedCriticEpochs,
        loggedEpochs);
  }

  public LearnerSettings withPrivilegedCritic(boolean privileged) {
    return new LearnerSettings(
        minDecisions,
        criticSteps,
        trainingSteps,
        episodeSeconds,
        ppo,
        latePenalty,
        guardSeeds,
        guardSeconds,
        margin,
        threads,
        wallClockCap,
        seed,
        burnInSeconds,
        privileged,
        loggedCriticEpochs,
        loggedEpochs);
  }

  /** PPO passes on the logged decisions before the simulator's steps (0: none). */
  public LearnerSettings withLoggedEpochs(int criticEpochs, int epochs) {
    return new LearnerSettings(
        minDecisions,
        criticSteps,
        trainingSteps,
        episodeSeconds,
        ppo,
        latePenalty,
        guardSeeds,
        guardSeconds,
        margin,
        threads,
        wallClockCap,
        seed,
        burnInSeconds,
        privilegedCritic,
        criticEpochs,
        epochs);
  }
}
