package io.surge.policy;

import static io.surge.state.TestServices.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.surge.policy.baseline.GreedySloPolicy;
import io.surge.state.ObservationBuilder;
import io.surge.state.RequestIds;
import io.surge.state.TestServices;
import io.surge.state.WorkloadState;
import org.junit.jupiter.api.Test;

class DecisionStepTest {

  private final ObservationBuilder builder = TestServices.builder();
  private final WorkloadState state = builder.tracker().newState();
  private final DecisionStep step = new DecisionStep(builder, -1.0);
  private final SchedulingPolicy greedy = new GreedySloPolicy();

  @Test
  void dispatchesRecordsAndAdvancesTheHistory() {
    step.decide(greedy, state, RequestIds.key("a"), 25, Double.NaN, 0b11, 0);

    assertThat(step.isShed()).isFalse();
    assertThat(step.action()).isEqualTo(2);
    assertThat(step.server()).isEqualTo(0);
    assertThat(step.probability()).isEqualTo(1.0);
    assertThat(step.observation()[0]).isEqualTo(0.25f);
    assertThat(step.mask()).containsExactly(1, 1, 1, 1);
    assertThat(state.arrivals).isEqualTo(1);
    assertThat(state.inflightByPair[2 * 2]).isEqualTo(1);
    assertThat(state.historyCount).isEqualTo(1);

    // large on s0 is busy (20 ms): the second large goes to idle s1
    step.decide(greedy, state, RequestIds.key("b"), 25, Double.NaN, 0b11, MS);
    assertThat(step.action()).isEqualTo(2);
    assertThat(step.server()).isEqualTo(1);
    assertThat(step.observation()[builder.spec().frameSize()])
        .as("previous slack")
        .isEqualTo(0.25f);
  }

  @Test
  void shedsWhenNothingFitsAndRecordsTheShedReward() {
    step.decide(greedy, state, RequestIds.key("late"), 2, Double.NaN, 0b11, 0);

    assertThat(step.isShed()).isTrue();
    assertThat(step.server()).isEqualTo(Router.NO_SERVER);
    assertThat(state.inflightCount).isZero();
    assertThat(state.shedRate).isEqualTo(1.0);
    assertThat(state.recentReward).isEqualTo(-1.0);
  }

  @Test
  void aPolicyIgnoringTheMaskCannotDispatchToAnUnhostedVariant() {
    SchedulingPolicy alwaysMedium =
        new SchedulingPolicy() {
          @Override
          public void decide(
              float[] obs, float[] mask, long seed, DecisionContext ctx, Decision out) {
            out.set(1, 1.0);
          }

          @Override
          public String name() {
            return "always-medium";
          }
        };
    step.decide(alwaysMedium, state, RequestIds.key("x"), 100, Double.NaN, 0b10, 0);
    assertThat(step.isShed()).isTrue();
    assertThat(state.inflightCount).isZero();
  }
}
