package io.surge.train.online;

import io.surge.train.ppo.PpoConfig;
import java.time.Duration;

/**
 * Learner settings for tests: a cycle in seconds (a few PPO updates, two guard scenarios of 3 s).
 */
public final class TinyLearnerSettings {

  private TinyLearnerSettings() {}

  /**
   * @param minDecisions experience a cycle waits for
   */
  public static LearnerSettings of(int minDecisions) {
    return new LearnerSettings(
        minDecisions,
        512,
        1_024,
        3,
        PpoConfig.defaults().toBuilder()
            .environments(2)
            .threads(2)
            .rolloutDecisions(256)
            .minibatchSize(256)
            .epochs(1)
            .learningRate(1e-4)
            .build(),
        -30,
        2,
        3,
        0.0025,
        2,
        Duration.ofMinutes(1),
        1,
        0,
        true,
        4,
        0);
  }
}
