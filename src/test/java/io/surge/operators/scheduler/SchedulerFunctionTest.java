package io.surge.operators.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surge.operators.TestPolicies;
import io.surge.policy.baseline.GreedySloPolicy;
import io.surge.policy.onnx.OnnxPolicy;
import io.surge.schema.Completion;
import io.surge.schema.Dispatch;
import io.surge.schema.InferenceRequest;
import io.surge.schema.PolicyUpdate;
import io.surge.schema.ResultStatus;
import io.surge.schema.SchedulerInput;
import io.surge.schema.Transition;
import io.surge.state.EstimatorSettings;
import io.surge.state.ObservationSpec;
import io.surge.state.ServiceTopology;
import io.surge.state.TestServices;
import io.surge.state.WorkloadState;
import io.surge.train.export.PolicyModelWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler operator in Flink's keyed-broadcast harness, on the heap state backend, with the
 * processing-time clock under the test's control. World: {@link TestServices} (service "svc",
 * variants small/medium/large at 70/75/78 %, servers s0 and s1), deadline 100 ms.
 */
class SchedulerFunctionTest {

  private static final String SERVICE = "svc";
  private static final long T0 = 1_000_000L;
  private static final int DEADLINE_MS = 100;
  private static final double SHED_REWARD = -1.0;
  private static final Duration TTL = Duration.ofHours(1);
  private static final int HISTORY = EstimatorSettings.defaults().historyLength();
  private static final int LARGE = 2;
  private static final int SHED = 3;

  private final ServiceTopology topology = TestServices.topology();
  private final ObservationSpec spec =
      ObservationSpec.of(topology, EstimatorSettings.defaults().withHistoryLength(HISTORY));
  private KeyedBroadcastOperatorTestHarness<String, SchedulerInput, PolicyUpdate, Dispatch> harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            function(OnnxPolicy.Mode.SAMPLE),
            new SchedulerInputs.ByService(),
            Types.STRING,
            SchedulerState.POLICIES);
    harness.setProcessingTime(T0);
  }

  private static SchedulerFunction function(OnnxPolicy.Mode mode) {
    return new SchedulerFunction(
        TestServices.catalog(),
        TestServices.profile(),
        GreedySloPolicy.NAME,
        HISTORY,
        SHED_REWARD,
        TTL,
        16 << 20,
        mode);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  // ---------------------------------------------------------------- dispatch and completion

  @Test
  void dispatchesWithTheFallbackAndKeepsAPendingDecisionWithATimer() throws Exception {
    request("r1", T0, null);

    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getRequest().getRequestId()).isEqualTo("r1");
              // idle servers: the largest variant fits the 100 ms slack; s0 wins the tie
              assertThat(d.getVariant()).isEqualTo("large");
              assertThat(d.getModel()).isEqualTo("m-large");
              assertThat(d.getServer()).isEqualTo("s0");
              assertThat(d.getAccuracy()).isEqualTo(78.0);
              assertThat(d.getPolicyVersion()).isZero();
              assertThat(d.getDecidedAt()).isEqualTo(Instant.ofEpochMilli(T0));
            });
    assertThat(pendingIds()).containsExactly("r1");
    assertThat(keyedStateEntries()).as("workload + pending").isEqualTo(2);
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
    assertThat(workload().inflightCount).isEqualTo(1);
    assertThat(transitions()).isEmpty();
  }

  @Test
  void aCompletionEmitsOneTransitionAndADuplicateChangesNothing() throws Exception {
    request("r1", T0, null);
    harness.setProcessingTime(T0 + 20);
    complete("r1", "large", "s0", ResultStatus.OK, 20, 78.0);

    assertThat(transitions())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getRequestId()).isEqualTo("r1");
              assertThat(t.getService()).isEqualTo(SERVICE);
              assertThat(t.getReward()).isEqualTo(78.0);
              assertThat(t.getAction()).isEqualTo(LARGE);
              assertThat(t.getProbability()).isEqualTo(1.0);
              assertThat(t.getPolicyVersion()).isZero();
              assertThat(t.getSpecHash()).isEqualTo(spec.hash());
              assertThat(t.getObservation()).hasSize(spec.dimension());
              assertThat(t.getMask()).containsExactly(1f, 1f, 1f, 1f);
              assertThat(t.getDecidedAt()).isEqualTo(Instant.ofEpochMilli(T0));
              assertThat(t.getCompletedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 20));
            });
    assertThat(pendingIds()).isEmpty();
    assertThat(keyedStateEntries()).as("only the workload").isEqualTo(1);
    WorkloadState state = workload();
    assertThat(state.inflightCount).isZero();
    assertThat(state.completionsByVariant[LARGE]).isEqualTo(1);
    assertThat(state.latencyMsByVariant[LARGE]).isEqualTo(20.0);
    Estimators before = Estimators.of(state);

    complete("r1", "large", "s0", ResultStatus.OK, 20, 78.0);

    assertThat(transitions()).hasSize(1);
    assertThat(Estimators.of(workload())).isEqualTo(before);
  }

  @Test
  void theExpiryTimerOfACompletedRequestEmitsNothingAndLeavesNoTimer() throws Exception {
    request("r1", T0, null);
    complete("r1", "large", "s0", ResultStatus.OK, 20, 78.0);

    harness.setProcessingTime(expiryOf(T0));

    assertThat(transitions()).hasSize(1);
    assertThat(harness.numProcessingTimeTimers()).isZero();
    assertThat(keyedStateEntries()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- shed

  @Test
  void aRequestWithoutSlackIsShedWithAResultAndATransitionOnly() throws Exception {
    request("late", T0 - 2 * DEADLINE_MS, null); // its deadline passed 100 ms ago

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(sideOutput(SchedulerOutputs.SHED))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getRequestId()).isEqualTo("late");
              assertThat(r.getStatus()).isEqualTo(ResultStatus.SHED.name());
              assertThat(r.getReward()).isEqualTo(SHED_REWARD);
              assertThat(r.getPolicyVersion()).isZero();
              assertThat(r.getVariant()).isNull();
              assertThat(r.getLatencyMs()).isEqualTo(2.0 * DEADLINE_MS);
            });
    assertThat(transitions())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getAction()).isEqualTo(SHED);
              assertThat(t.getReward()).isEqualTo(SHED_REWARD);
              assertThat(t.getObservation().get(0)).as("slack in deadlines").isEqualTo(-1f);
            });
    assertThat(pendingIds()).isEmpty();
    assertThat(keyedStateEntries()).as("only the workload").isEqualTo(1);
    assertThat(harness.numProcessingTimeTimers()).isZero();
    assertThat(workload().shedRate).isEqualTo(1.0);
  }

  @Test
  void aMinimumAccuracyAboveEveryVariantLeavesOnlyShed() throws Exception {
    request("picky", T0, 90.0);

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(sideOutput(SchedulerOutputs.SHED)).hasSize(1);
    assertThat(transitions())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getMask()).containsExactly(0f, 0f, 0f, 1f);
              assertThat(t.getAction()).isEqualTo(SHED);
              assertThat(t.getReward()).isEqualTo(SHED_REWARD);
            });
    assertThat(keyedStateEntries()).isEqualTo(1);
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }

  // ---------------------------------------------------------------- expiry

  @Test
  void aDecisionWithoutCompletionExpiresAfterDeadlinePlusGrace() throws Exception {
    request("lost", T0, null);
    long expiry = expiryOf(T0);
    assertThat(expiry)
        .isGreaterThanOrEqualTo(T0 + DEADLINE_MS + SchedulerFunction.EXPIRY_GRACE_MILLIS);

    harness.setProcessingTime(expiry - 1);
    assertThat(transitions()).isEmpty();
    assertThat(pendingIds()).containsExactly("lost");

    harness.setProcessingTime(expiry);
    assertThat(transitions())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getRequestId()).isEqualTo("lost");
              assertThat(t.getAction()).isEqualTo(LARGE);
              assertThat(t.getReward()).isEqualTo(SHED_REWARD);
              assertThat(t.getCompletedAt()).isEqualTo(Instant.ofEpochMilli(expiry));
            });
    assertThat(keyedStateEntries()).as("only the workload").isEqualTo(1);
    assertThat(harness.numProcessingTimeTimers()).isZero();
    WorkloadState state = workload();
    assertThat(state.inflightCount).isZero();
    assertThat(state.lateRateByVariant[LARGE]).isEqualTo(1.0);

    complete("lost", "large", "s0", ResultStatus.LATE, 40_000, 0.0);
    assertThat(transitions()).as("a completion after expiry is ignored").hasSize(1);
  }

  // ---------------------------------------------------------------- policy

  @Test
  void aPublishedPolicyDecidesWithItsVersionAndAnOlderOneIsNotApplied() throws Exception {
    request("a", T0, null);
    assertThat(dispatches()).extracting(Dispatch::getPolicyVersion).containsExactly(0L);

    broadcast(TestPolicies.favouring(spec, topology.actionNames(), 1, 5).toBytes(), 5);
    request("b", T0, null);
    broadcast(TestPolicies.favouring(spec, topology.actionNames(), 0, 3).toBytes(), 3);
    request("c", T0, null);

    List<Dispatch> out = dispatches();
    assertThat(out).extracting(Dispatch::getPolicyVersion).containsExactly(0L, 5L, 5L);
    assertThat(out).extracting(Dispatch::getVariant).containsExactly("large", "medium", "medium");
    assertThat(harness.getBroadcastState(SchedulerState.POLICIES).get(SchedulerState.ALL_SERVICES))
        .extracting(PolicyUpdate::getVersion)
        .isEqualTo(5L);

    complete("b", "medium", "s0", ResultStatus.OK, 10, 75.0);
    assertThat(transitions())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getPolicyVersion()).isEqualTo(5L);
              assertThat(t.getAction()).isEqualTo(1);
              assertThat(t.getProbability()).isCloseTo(1.0, within(1e-6));
            });
  }

  @Test
  void argmaxServesTheMostProbableVariantForEveryRequestWhereSamplingMixes() throws Exception {
    // small 20 %, medium 45 %, large 30 %, shed 5 %
    float[] bias = {(float) Math.log(0.2), (float) Math.log(0.45), (float) Math.log(0.3), -3f};
    byte[] model =
        PolicyModelWriter.forSpec(spec, topology.actionNames())
            .output(new float[spec.dimension() * spec.actionCount()], bias)
            .version(5)
            .trainedOn("poisson:rate=10")
            .toBytes();
    broadcast(model, 5);
    for (int i = 0; i < 40; i++) {
      request("sampled-" + i, T0, null);
    }
    assertThat(dispatches()).extracting(Dispatch::getVariant).contains("small", "medium", "large");

    harness.close();
    harness =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            function(OnnxPolicy.Mode.ARGMAX),
            new SchedulerInputs.ByService(),
            Types.STRING,
            SchedulerState.POLICIES);
    harness.setProcessingTime(T0);
    broadcast(model, 5);
    for (int i = 0; i < 40; i++) {
      request("argmax-" + i, T0, null);
    }
    assertThat(dispatches()).hasSize(40).extracting(Dispatch::getVariant).containsOnly("medium");
  }

  @Test
  void aPolicyForTheServiceWinsOverAnOlderOneForAll() throws Exception {
    broadcast(TestPolicies.favouring(spec, topology.actionNames(), 1, 5).toBytes(), 5);
    PolicyUpdate own =
        TestPolicies.update(TestPolicies.favouring(spec, topology.actionNames(), 0, 7).toBytes(), 7)
            .setService(SERVICE)
            .build();
    harness.processBroadcastElement(own, T0);
    request("a", T0, null);

    assertThat(dispatches())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getPolicyVersion()).isEqualTo(7L);
              assertThat(d.getVariant()).isEqualTo("small");
            });
  }

  @Test
  void aDuplicateRequestStillPendingIsNotDispatchedAgain() throws Exception {
    request("dup", T0, null);
    request("dup", T0, null);

    assertThat(dispatches()).hasSize(1);
    assertThat(pendingIds()).containsExactly("dup");
    assertThat(workload().inflightCount).isEqualTo(1);
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
  }

  @Test
  void aCompletionForAServiceNotInTheCatalogIsIgnored() throws Exception {
    harness.processElement(
        SchedulerInput.newBuilder()
            .setService("ghost")
            .setCompletion(completion("x", "ghost", "large", "s0", ResultStatus.OK, 5, 1))
            .build(),
        T0);

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(transitions()).isEmpty();
    assertThat(keyedStateEntries()).isZero();
  }

  // ---------------------------------------------------------------- health and restore

  @Test
  void aServerWithRepeatedFailuresIsMaskedOutForAWhile() throws Exception {
    for (int i = 0; i < 5; i++) {
      request("f" + i, harness.getProcessingTime(), null);
      assertThat(dispatches().get(i).getServer()).isEqualTo("s0");
      complete("f" + i, "large", "s0", ResultStatus.FAILED, 1, SHED_REWARD);
    }

    request("after", harness.getProcessingTime(), null);
    assertThat(dispatches().get(5).getServer()).isEqualTo("s1");
    assertThat(transitions()).hasSize(5);

    harness.setProcessingTime(harness.getProcessingTime() + 2_000);
    request("healed", harness.getProcessingTime(), null);
    complete("healed", "large", "s0", ResultStatus.OK, 20, 78.0);
    assertThat(dispatches().get(6).getServer()).isEqualTo("s0");
    // the observation of the decision on s1 saw medium (hosted only on s0) masked out
    complete("after", "large", "s1", ResultStatus.OK, 20, 78.0);
    assertThat(transitions().get(6).getMask()).containsExactly(1f, 0f, 1f, 1f);
  }

  @Test
  void pendingDecisionsTimersAndThePolicySurviveASnapshot() throws Exception {
    broadcast(TestPolicies.favouring(spec, topology.actionNames(), 1, 5).toBytes(), 5);
    request("r1", T0, null);
    OperatorSubtaskState snapshot = harness.snapshot(1, T0);
    harness.close();

    harness = restored(snapshot);
    assertThat(pendingIds()).containsExactly("r1");
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
    assertThat(workload().inflightCount).isEqualTo(1);

    complete("r1", "medium", "s0", ResultStatus.OK, 10, 75.0);
    request("r2", T0, null);
    assertThat(transitions())
        .singleElement()
        .satisfies(t -> assertThat(t.getPolicyVersion()).isEqualTo(5L));
    assertThat(dispatches())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getPolicyVersion()).isEqualTo(5L);
              assertThat(d.getVariant()).isEqualTo("medium");
            });
  }

  private KeyedBroadcastOperatorTestHarness<String, SchedulerInput, PolicyUpdate, Dispatch>
      restored(OperatorSubtaskState snapshot) throws Exception {
    var restored =
        new KeyedBroadcastOperatorTestHarness<String, SchedulerInput, PolicyUpdate, Dispatch>(
            new CoBroadcastWithKeyedOperator<>(
                function(OnnxPolicy.Mode.SAMPLE), List.of(SchedulerState.POLICIES)),
            new SchedulerInputs.ByService(),
            Types.STRING,
            1,
            1,
            0);
    restored.setup();
    restored.initializeState(snapshot);
    restored.open();
    restored.setProcessingTime(T0);
    return restored;
  }

  // ---------------------------------------------------------------- helpers

  private void request(String id, long createdAt, Double minAccuracy) throws Exception {
    InferenceRequest request =
        InferenceRequest.newBuilder()
            .setRequestId(id)
            .setService(SERVICE)
            .setCreatedAt(Instant.ofEpochMilli(createdAt))
            .setDeadlineMs(DEADLINE_MS)
            .setMinAccuracy(minAccuracy)
            .build();
    harness.processElement(
        SchedulerInput.newBuilder().setService(SERVICE).setRequest(request).build(),
        harness.getProcessingTime());
  }

  private void complete(
      String id,
      String variant,
      String server,
      ResultStatus status,
      double latencyMs,
      double reward)
      throws Exception {
    harness.processElement(
        SchedulerInput.newBuilder()
            .setService(SERVICE)
            .setCompletion(completion(id, SERVICE, variant, server, status, latencyMs, reward))
            .build(),
        harness.getProcessingTime());
  }

  private Completion completion(
      String id,
      String service,
      String variant,
      String server,
      ResultStatus status,
      double latencyMs,
      double reward) {
    return Completion.newBuilder()
        .setRequestId(id)
        .setService(service)
        .setVariant(variant)
        .setServer(server)
        .setStatus(status.name())
        .setLatencyMs(latencyMs)
        .setCompletedAt(Instant.ofEpochMilli(harness.getProcessingTime()))
        .setReward(reward)
        .build();
  }

  private void broadcast(byte[] model, long version) throws Exception {
    harness.processBroadcastElement(TestPolicies.update(model, version).build(), T0);
  }

  private static long expiryOf(long createdAt) {
    return SchedulerFunction.expiryTimer(createdAt + DEADLINE_MS);
  }

  private List<Dispatch> dispatches() {
    return harness.extractOutputValues();
  }

  private List<Transition> transitions() {
    return sideOutput(SchedulerOutputs.TRANSITIONS);
  }

  private <T> List<T> sideOutput(OutputTag<T> tag) {
    Queue<StreamRecord<T>> records = harness.getSideOutput(tag);
    return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
  }

  private int keyedStateEntries() {
    return ((HeapKeyedStateBackend<?>) backend()).numKeyValueStateEntries();
  }

  private WorkloadState workload() throws Exception {
    backend().setCurrentKey(SERVICE);
    ValueState<WorkloadState> state =
        backend()
            .getPartitionedState(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                SchedulerState.workload(TTL));
    return state.value();
  }

  private List<String> pendingIds() throws Exception {
    backend().setCurrentKey(SERVICE);
    MapState<String, ?> state =
        backend()
            .getPartitionedState(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                SchedulerState.pending(TTL));
    List<String> ids = new ArrayList<>();
    state.keys().forEach(ids::add);
    return ids;
  }

  private KeyedStateBackend<String> backend() {
    return harness.getOperator().getKeyedStateBackend();
  }

  /** The estimators a completion updates, copied so a later change is visible. */
  private record Estimators(
      String completionsByVariant,
      String latencyMsByVariant,
      String lateRateByVariant,
      long outcomes,
      double recentReward,
      int inflightCount) {
    static Estimators of(WorkloadState s) {
      return new Estimators(
          Arrays.toString(s.completionsByVariant),
          Arrays.toString(s.latencyMsByVariant),
          Arrays.toString(s.lateRateByVariant),
          s.outcomes,
          s.recentReward,
          s.inflightCount);
    }
  }
}
