package io.surge.train.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.state.EstimatorSettings;
import io.surge.state.ObservationSpec;
import io.surge.train.ppo.LoggedTransitions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The job's logged decisions as PPO samples: only the running spec's, in time order, with the
 * training rewards, the hindsight next-second counts and the live factors for the critic, and no
 * samples from the window's last seconds.
 */
class LoggedExperienceTest {

  private static final ObservationSpec SPEC = new ObservationSpec(3, EstimatorSettings.defaults());
  private static final int D = SPEC.dimension();
  private static final int A = SPEC.actionCount();
  private static final int SHED = A - 1;

  @Test
  void decisionsBecomeTimeOrderedSamplesWithHindsightFeaturesAndTrainingRewards() {
    List<LoggedDecision> log = new ArrayList<>();
    // one decision every 100 ms for 10 s, logged out of order (partitions interleave)
    for (int i = 99; i >= 0; i--) {
      int action = i % 10 == 0 ? SHED : i % 3;
      double reward = i % 10 == 0 ? 0 : i % 7 == 0 ? 0 : 70; // every 7th answer late
      log.add(decision("r" + i, SPEC.hash(), 1_000 + 100L * i, action, reward, i));
    }
    log.add(decision("other", "another-spec", 1_050, 0, 70, -1));

    LoggedTransitions samples = LoggedExperience.of(log, SPEC, new double[] {1.0, 3.2}, -30);

    assertThat(samples.size()).isEqualTo(100);
    assertThat(samples.observationSize()).isEqualTo(D + 3);
    // the last 3 s only complete returns
    assertThat(samples.trainable()).isEqualTo(70);
    for (int i = 0; i < 100; i++) {
      float[] x = samples.observation(i);
      assertThat(x[0]).as("time order").isEqualTo(i);
      assertThat(samples.timeNanos(i)).isEqualTo((1_000 + 100L * i) * 1_000_000);
      // the decisions of the next second: 10 of them, fewer near the end of the log
      assertThat(x[D]).isEqualTo(Math.min(10, 99 - i));
      assertThat(x[D + 1]).isEqualTo(1.0f);
      assertThat(x[D + 2]).isEqualTo(3.2f);
      double expected = i % 10 == 0 ? 0 : i % 7 == 0 ? -30 : 70;
      assertThat(samples.reward(i)).as("reward of %d", i).isEqualTo(expected);
    }
  }

  @Test
  void withoutPrivilegedFeaturesTheObservationIsTheJobs() {
    List<LoggedDecision> log =
        List.of(
            decision("a", SPEC.hash(), 0, 0, 70, 1), decision("b", SPEC.hash(), 5_000, 1, 70, 2));

    LoggedTransitions samples = LoggedExperience.of(log, SPEC, null, -30);

    assertThat(samples.observationSize()).isEqualTo(D);
    assertThat(samples.trainable()).isEqualTo(1);
  }

  @Test
  void recordsThatDoNotFitTheSpecOrCarryNoBehaviourProbabilityAreLeftOut() {
    List<LoggedDecision> log = new ArrayList<>();
    log.add(decision("ok", SPEC.hash(), 0, 0, 70, 1));
    log.add(
        new LoggedDecision(
            "short", "svc", 1, SPEC.hash(), new float[2], mask(), 0, 0.5, 70, 10, 20));
    log.add(
        new LoggedDecision("p0", "svc", 1, SPEC.hash(), new float[D], mask(), 0, 0.0, 70, 10, 20));
    float[] noFirst = mask();
    noFirst[0] = 0;
    log.add(
        new LoggedDecision(
            "masked", "svc", 1, SPEC.hash(), new float[D], noFirst, 0, 0.5, 70, 10, 20));

    assertThat(LoggedExperience.of(log, SPEC, null, -30).size()).isEqualTo(1);
  }

  private static LoggedDecision decision(
      String id, String specHash, long at, int action, double reward, float marker) {
    float[] observation = new float[D];
    observation[0] = marker;
    return new LoggedDecision(
        id, "svc", 1, specHash, observation, mask(), action, 0.4, reward, at, at + 30);
  }

  private static float[] mask() {
    float[] mask = new float[A];
    java.util.Arrays.fill(mask, 1);
    return mask;
  }
}
