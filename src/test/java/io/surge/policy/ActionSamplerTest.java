package io.surge.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surge.state.RequestIds;
import org.junit.jupiter.api.Test;

class ActionSamplerTest {

  private final Decision decision = new Decision();

  @Test
  void sameSeedSameAction() {
    float[] p = {0.25f, 0.25f, 0.25f, 0.25f};
    float[] mask = {1, 1, 1, 1};
    for (int i = 0; i < 100; i++) {
      long seed = RequestIds.key("req-" + i);
      ActionSampler.sample(p, mask, seed, decision);
      int first = decision.action();
      ActionSampler.sample(p, mask, seed, decision);
      assertThat(decision.action()).isEqualTo(first);
    }
  }

  @Test
  void frequenciesFollowTheMaskedRenormalisedProbabilities() {
    float[] p = {0.1f, 0.2f, 0.3f, 0.4f};
    float[] mask = {1, 1, 0, 1};
    int[] counts = new int[4];
    int n = 40_000;
    for (int i = 0; i < n; i++) {
      ActionSampler.sample(p, mask, RequestIds.key("r" + i), decision);
      counts[decision.action()]++;
    }
    assertThat(counts[2]).isZero();
    assertThat(counts[0] / (double) n).isCloseTo(1 / 7.0, within(0.01));
    assertThat(counts[1] / (double) n).isCloseTo(2 / 7.0, within(0.01));
    assertThat(counts[3] / (double) n).isCloseTo(4 / 7.0, within(0.01));
  }

  @Test
  void epsilonGreedyLogsTheMixturesProbabilityAndTakesActionsAsOftenAsItSays() {
    float[] p = {0.1f, 0.5f, 0.2f, 0.2f};
    float[] mask = {1, 1, 1, 0};
    double epsilon = 0.1;
    // the mixture over the allowed actions (pi renormalised: 0.1, 0.5, 0.2 over 0.8)
    double[] behaviour = {epsilon * 0.125, 1 - epsilon + epsilon * 0.625, epsilon * 0.25, 0};
    int[] counts = new int[4];
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      long seed = RequestIds.key("e" + i);
      ActionSampler.epsilonGreedy(p, mask, seed, epsilon, decision);
      int a = decision.action();
      counts[a]++;
      assertThat(decision.probability()).isCloseTo(behaviour[a], within(1e-6));
      ActionSampler.epsilonGreedy(p, mask, seed, epsilon, decision);
      assertThat(decision.action()).as("a replay takes the same action").isEqualTo(a);
    }
    assertThat(counts[3]).isZero();
    for (int a = 0; a < 3; a++) {
      assertThat(counts[a] / (double) n).isCloseTo(behaviour[a], within(0.004));
    }
  }

  @Test
  void epsilonGreedyWithoutExplorationIsTheArgmaxWithProbabilityOne() {
    float[] p = {0.1f, 0.5f, 0.4f, 0f};
    float[] mask = {1, 0, 1, 1};
    for (int i = 0; i < 1_000; i++) {
      ActionSampler.epsilonGreedy(p, mask, RequestIds.key("g" + i), 0, decision);
      assertThat(decision.action()).isEqualTo(2);
      assertThat(decision.probability()).isCloseTo(1.0, within(1e-9));
    }
  }

  @Test
  void reportsTheBehaviourProbability() {
    float[] p = {0.5f, 0.5f, 0f, 0f};
    float[] mask = {0, 1, 1, 1};
    ActionSampler.sample(p, mask, 7, decision);
    assertThat(decision.action()).isEqualTo(1);
    assertThat(decision.probability()).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void noAllowedMassFallsBackToUniformOverAllowed() {
    float[] p = {1f, 0f, Float.NaN, 0f};
    float[] mask = {0, 1, 1, 1};
    ActionSampler.sample(p, mask, 11, decision);
    assertThat(decision.action()).isIn(1, 2, 3);
    assertThat(decision.probability()).isCloseTo(1 / 3.0, within(1e-9));
  }

  @Test
  void argmaxSkipsMaskedActionsAndBreaksTiesLow() {
    float[] p = {0.1f, 0.3f, 0.3f, 0.3f};
    ActionSampler.argmax(p, new float[] {1, 1, 1, 1}, decision);
    assertThat(decision.action()).isEqualTo(1);
    ActionSampler.argmax(new float[] {0.9f, 0.05f, 0f, 0.05f}, new float[] {0, 1, 1, 1}, decision);
    assertThat(decision.action()).isEqualTo(1);
    assertThat(decision.probability()).isCloseTo(0.5, within(1e-6));
  }

  @Test
  void uniformIsInTheUnitInterval() {
    for (long s = -1000; s < 1000; s++) {
      assertThat(ActionSampler.uniform(s)).isGreaterThanOrEqualTo(0).isLessThan(1);
    }
  }
}
