package io.surge.policy.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surge.policy.Decision;
import io.surge.policy.DecisionContext;
import io.surge.state.ActionMask;
import io.surge.state.ObservationBuilder;
import io.surge.state.TestServices;
import io.surge.state.WorkloadState;
import org.junit.jupiter.api.Test;

/** TestServices' world: small, medium, large; capacities from their profiles. */
class ProteusLikePolicyTest {

  private static final long ALL = 0b11;
  private static final int SHED = 3;

  private final ObservationBuilder builder = TestServices.builder();
  private final WorkloadState state = builder.tracker().newState();
  private final DecisionContext context = DecisionContext.of(builder);
  private final float[] observation = new float[builder.spec().dimension()];
  private final float[] mask = new float[4];
  private final Decision decision = new Decision();

  private ProteusLikePolicy policy(double utilisation) {
    return new ProteusLikePolicy(
        builder.topology(),
        builder.latency(),
        new BaselineParameters.ProteusLike(utilisation, 1.0, 1));
  }

  @Test
  void plansTheLargestWhenThereIsRoomAndShedsBeyondTheSmallestsCapacity() {
    ProteusLikePolicy proteus = policy(1.0);
    proteus.plan(1);
    assertThat(proteus.plannedLower()).isEqualTo(2);
    assertThat(proteus.plannedUpperFraction()).isZero();

    double smallest = builder.latency().capacityPerSecond(0);
    proteus.plan(2 * smallest);
    assertThat(proteus.plannedLower()).isEqualTo(SHED);
    assertThat(proteus.plannedUpper()).isEqualTo(0);
    assertThat(proteus.plannedUpperFraction())
        .as("half the requests fit")
        .isCloseTo(0.5, within(1e-9));
  }

  @Test
  void theMixUsesExactlyTheCapacityAtTheUtilisationTarget() {
    ProteusLikePolicy proteus = policy(0.8);
    double rate = 0.9 * builder.latency().capacityPerSecond(1);
    proteus.plan(rate);
    int lower = proteus.plannedLower();
    int upper = proteus.plannedUpper();
    double x = proteus.plannedUpperFraction();
    assertThat(upper).isGreaterThan(lower);
    double load =
        rate
            * ((1 - x) / builder.latency().capacityPerSecond(lower)
                + x / builder.latency().capacityPerSecond(upper));
    assertThat(load).isCloseTo(0.8, within(1e-9));
  }

  @Test
  void realisedFractionsMatchThePlanOver1000Decisions() {
    ActionMask.compute(builder.topology(), ALL, Double.NaN, mask);
    ProteusLikePolicy proteus =
        new ProteusLikePolicy(
            builder.topology(),
            builder.latency(),
            new BaselineParameters.ProteusLike(0.8, 1e6, 1)); // one plan for the whole test
    double rate = 0.9 * builder.latency().capacityPerSecond(1);
    long step = Math.round(1e9 / rate);
    // warm the 1 s rate estimate up at that rate, then decide once to make the plan
    for (int i = 0; i < 20_000; i++) {
      builder.tracker().onArrival(state, i * step);
    }
    long now = 20_000 * step;
    context.set(state, 100, ALL, now);
    proteus.decide(observation, mask, 0, context, decision);
    int upper = proteus.plannedUpper();
    double planned = proteus.plannedUpperFraction();
    assertThat(planned).isBetween(0.05, 0.95);

    int upperCount = 0;
    int n = 1000;
    for (int i = 0; i < n; i++) {
      proteus.decide(observation, mask, i, context, decision);
      if (decision.action() == upper) {
        upperCount++;
      } else {
        assertThat(decision.action()).isEqualTo(proteus.plannedLower());
      }
    }
    assertThat(upperCount / (double) n).isCloseTo(planned, within(0.01));
  }

  @Test
  void aMaskedPlanFallsToTheNextAllowedVariant() {
    ActionMask.compute(builder.topology(), ALL, Double.NaN, mask);
    mask[2] = 0;
    context.set(state, 100, ALL, 0);
    policy(0.8).decide(observation, mask, 0, context, decision);
    assertThat(decision.action()).as("no arrivals yet: largest planned, masked").isEqualTo(1);
  }
}
