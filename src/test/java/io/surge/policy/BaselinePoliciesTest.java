package io.surge.policy;

import static io.surge.state.TestServices.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.surge.policy.baseline.BaselineParameters;
import io.surge.policy.baseline.FixedVariantPolicy;
import io.surge.policy.baseline.GreedySloPolicy;
import io.surge.policy.baseline.LargestPolicy;
import io.surge.policy.baseline.Policies;
import io.surge.policy.baseline.ProteusLikePolicy;
import io.surge.policy.baseline.SmallestPolicy;
import io.surge.policy.baseline.ThresholdPolicy;
import io.surge.state.ActionMask;
import io.surge.state.ObservationBuilder;
import io.surge.state.TestServices;
import io.surge.state.WorkloadState;
import io.surge.state.WorkloadTracker;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-built states on TestServices' world: small 5 ms, medium 10 ms, large 20 ms at batch 1. */
class BaselinePoliciesTest {

  private static final long ALL = 0b11;
  private static final int SHED = 3;

  private final ObservationBuilder builder = TestServices.builder();
  private final WorkloadTracker tracker = builder.tracker();
  private final WorkloadState state = tracker.newState();
  private final DecisionContext context = DecisionContext.of(builder);
  private final float[] observation = new float[builder.spec().dimension()];
  private final float[] mask = new float[4];
  private final Decision decision = new Decision();

  /** The profile alone: what the tests of the prediction itself need. */
  private static final GreedySloPolicy PROFILE_ONLY =
      new GreedySloPolicy(BaselineParameters.GreedySlo.PROFILE_ONLY);

  @Test
  void largestAndSmallestTakeTheEndsOfTheAllowedLadder() {
    allow(ALL, Double.NaN);
    assertThat(decide(new LargestPolicy(), 0)).isEqualTo(2);
    assertThat(decide(new SmallestPolicy(), 0)).isEqualTo(0);
    assertThat(decision.probability()).isEqualTo(1.0);

    allow(ALL, 72.0); // small masked out
    assertThat(decide(new SmallestPolicy(), 0)).isEqualTo(1);
    allow(0, Double.NaN); // nothing healthy
    assertThat(decide(new LargestPolicy(), 0)).isEqualTo(SHED);
    assertThat(decide(new SmallestPolicy(), 0)).isEqualTo(SHED);
  }

  @Test
  void aFixedVariantIsServedWhileAllowedThenTheNearestSmallerOne() {
    var topology = TestServices.topology();
    FixedVariantPolicy medium = FixedVariantPolicy.of("fixed:medium", topology);
    assertThat(medium.name()).isEqualTo("fixed:medium");

    allow(ALL, Double.NaN);
    assertThat(decide(medium, 0)).as("slack plays no part").isEqualTo(1);
    assertThat(decision.probability()).isEqualTo(1.0);
    allow(0b10, Double.NaN); // only s1, which does not host medium
    assertThat(decide(medium, 100)).isEqualTo(0);
    allow(0b10, 72.0); // small masked out too: the nearest larger one
    assertThat(decide(medium, 100)).isEqualTo(2);
    allow(0, Double.NaN);
    assertThat(decide(medium, 100)).isEqualTo(SHED);

    assertThatThrownBy(() -> FixedVariantPolicy.of("fixed:huge", topology))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no variant 'huge'")
        .hasMessageContaining("small, medium, large");
    assertThat(Policies.isBuiltIn("fixed:")).isFalse();
  }

  @Test
  void greedySloPicksTheMostAccurateVariantThatFits() {
    allow(ALL, Double.NaN);
    GreedySloPolicy greedy = PROFILE_ONLY;
    assertThat(decide(greedy, 25)).isEqualTo(2); // large: 20 ms
    assertThat(decide(greedy, 19.9)).isEqualTo(1); // medium: 10 ms
    assertThat(decide(greedy, 6)).isEqualTo(0); // small: 5 ms
    assertThat(decide(greedy, 4.9)).isEqualTo(SHED);
  }

  @Test
  void greedySloCountsQueuedWorkWithBatching() {
    allow(ALL, Double.NaN);
    // two large in flight on each server: each server holds a batch of 2 = 20 + 30/3 = 30 ms
    tracker.onDispatch(state, 1, 2, 0, 0);
    tracker.onDispatch(state, 2, 2, 0, 0);
    tracker.onDispatch(state, 3, 2, 1, 0);
    tracker.onDispatch(state, 4, 2, 1, 0);
    GreedySloPolicy greedy = PROFILE_ONLY;
    // large joins a batch of 3 = 40 ms; medium 30 + 10; small 30 + 5
    assertThat(decide(greedy, 40)).isEqualTo(2);
    assertThat(decide(greedy, 39.9)).isEqualTo(0);
    assertThat(decide(greedy, 34.9)).isEqualTo(SHED);
    assertThat(decide(new GreedySloPolicy(new BaselineParameters.GreedySlo(1.0, 0, 1)), 40))
        .as("with margin")
        .isEqualTo(0);
  }

  @Test
  void greedySloStepsDownWhenObservedLatenciesExceedTheProfile() {
    allow(ALL, Double.NaN);
    // answers of large took three times the 20 ms the profile promised
    for (int i = 1; i <= 20; i++) {
      tracker.onDispatch(state, i, 2, 0, 0, 20f);
      tracker.onCompletion(state, i, 60, false, 78, 0);
    }
    tracker.onDispatch(state, 100, 2, 1, 0, 20f); // one still in flight, on the other server
    GreedySloPolicy observing = new GreedySloPolicy(new BaselineParameters.GreedySlo(0, 1, 1));
    // large would join s0 (idle): 20 ms by the profile, 60 ms as observed; medium 10 -> 30 ms
    assertThat(decide(PROFILE_ONLY, 50)).as("trusting the profile").isEqualTo(2);
    assertThat(decide(observing, 50)).as("correcting by the observed ratio").isEqualTo(1);
  }

  @Test
  void greedySloLateRateGuardPassesOverABusyVariantThatEndsLate() {
    allow(ALL, Double.NaN);
    for (int i = 1; i <= 20; i++) {
      tracker.onDispatch(state, i, 2, 0, 0);
      tracker.onCompletion(state, i, 15, true, 0, 0);
    }
    GreedySloPolicy guarded = new GreedySloPolicy(new BaselineParameters.GreedySlo(0, 0, 0.3));
    assertThat(decide(guarded, 50)).as("nothing in flight: large is tried again").isEqualTo(2);
    tracker.onDispatch(state, 100, 2, 1, 0);
    assertThat(decide(guarded, 50)).as("large busy and ending late").isEqualTo(1);
  }

  @Test
  void greedySloHonoursTheMask() {
    allow(ALL, Double.NaN);
    mask[2] = 0;
    assertThat(decide(PROFILE_ONLY, 100)).isEqualTo(1);
    allow(0b10, Double.NaN); // s0 down: medium unavailable
    assertThat(decide(PROFILE_ONLY, 15)).isEqualTo(0);
  }

  @Test
  void thresholdStepsDownWithQueueAndRate() {
    allow(ALL, Double.NaN);
    ThresholdPolicy threshold =
        new ThresholdPolicy(new double[] {200, 100}, new double[] {10, 20}, 1);
    assertThat(decide(threshold, 50)).isEqualTo(2);

    for (int i = 0; i < 15; i++) {
      tracker.onDispatch(state, i + 1, 0, 0, 0);
    }
    assertThat(decide(threshold, 50)).as("queue 15 > 10: one step").isEqualTo(1);
    mask[1] = 0;
    assertThat(decide(threshold, 50)).as("medium masked: next less accurate").isEqualTo(0);

    for (int i = 0; i < 300; i++) {
      tracker.onArrival(state, (700 + i) * MS);
    }
    allow(ALL, Double.NaN);
    // ~259 req/s on the 1 s scale exceeds both rate levels
    assertThat(decide(threshold, 50)).isEqualTo(0);
    allow(ALL, 74.0);
    assertThat(decide(threshold, 50)).as("small masked: next more accurate").isEqualTo(1);
  }

  @Test
  void thresholdDefaultsComeFromCapacityAndDeadline() {
    ThresholdPolicy defaults =
        ThresholdPolicy.withDefaultLevels(builder.topology(), builder.latency(), 0.8, 1);
    // large on s0 and s1: 2 x 4/50 per ms = 160/s; medium on s0: 4/25 per ms = 160/s
    assertThat(defaults.rateLevelsHz()).containsExactly(new double[] {128, 128}, within(1e-9));
    // what they clear in the 100 ms deadline
    assertThat(defaults.queueLevels()).containsExactly(new double[] {16, 16}, within(1e-9));
  }

  @Test
  void thresholdLevelsCountOnlyBatchesThatKeepRequestsOnTime() {
    // a 50 ms deadline: a batch may take 25 ms, so large (20 ms at 1, 30 ms at 2) counts at
    // batch 1, while medium (25 ms at 4) keeps its largest batch
    var base = TestServices.catalog();
    var service = base.services().get(0);
    var tight =
        new io.surge.state.catalog.Catalog(
            List.of(
                new io.surge.state.catalog.Catalog.Service(service.name(), 50, service.variants())),
            base.servers());
    var topology = io.surge.state.ServiceTopology.of(tight, "svc");
    var latency = io.surge.state.LatencyTable.from(TestServices.profile(), topology);

    double large = latency.capacityWithinDeadlinePerSecond(2);
    assertThat(large).as("batch 1 only: 2 x 1/20 ms").isCloseTo(100, within(1e-6));
    assertThat(latency.capacityPerSecond(2)).as("unbounded: batch 4").isCloseTo(160, within(1e-6));
    ThresholdPolicy threshold = ThresholdPolicy.withDefaultLevels(topology, latency, 0.8, 1);
    assertThat(threshold.rateLevelsHz()[0]).isCloseTo(0.8 * large, within(1e-6));
    assertThat(threshold.queueLevels()[0]).isCloseTo(large * 0.050, within(1e-6));
    assertThat(latency.capacityWithinDeadlinePerSecond(1)).isCloseTo(160, within(1e-6));
  }

  @Test
  void registryByName() {
    var catalog = TestServices.catalog();
    var profile = TestServices.profile();
    assertThat(Policies.byName("greedy-slo", catalog, profile)).isInstanceOf(GreedySloPolicy.class);
    assertThat(Policies.byName("threshold", catalog, profile)).isInstanceOf(ThresholdPolicy.class);
    assertThat(Policies.byName("proteus-like", catalog, profile))
        .isInstanceOf(ProteusLikePolicy.class);
    assertThat(((GreedySloPolicy) Policies.byName("greedy-slo", catalog, profile)).parameters())
        .as("the shipped tuned defaults")
        .isEqualTo(BaselineParameters.shipped().greedySlo())
        .isEqualTo(new GreedySloPolicy().parameters());
    assertThat(Policies.byName("largest", catalog, profile).version()).isZero();
    for (String name : Policies.names()) {
      assertThat(Policies.byName(name, catalog, profile).name()).isEqualTo(name);
    }
    assertThat(Policies.byName("fixed:large", catalog, profile))
        .isInstanceOf(FixedVariantPolicy.class);
    assertThatThrownBy(() -> Policies.byName("oracle", catalog, profile))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown policy 'oracle'")
        .hasMessageContaining("greedy-slo")
        .hasMessageContaining("fixed:VARIANT");
  }

  private void allow(long healthy, double minAccuracy) {
    ActionMask.compute(builder.topology(), healthy, minAccuracy, mask);
    context.set(state, 0, healthy, 0);
  }

  private int decide(SchedulingPolicy policy, double slackMs) {
    context.set(state, slackMs, context.healthyServers(), 1_000 * MS);
    policy.decide(observation, mask, 42, context, decision);
    return decision.action();
  }
}
