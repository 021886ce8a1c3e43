package io.surge.operators.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.operators.TestPolicies;
import io.surge.policy.baseline.GreedySloPolicy;
import io.surge.policy.onnx.OnnxPolicy;
import io.surge.schema.Dispatch;
import io.surge.schema.InferenceRequest;
import io.surge.schema.PolicyUpdate;
import io.surge.schema.SchedulerInput;
import io.surge.state.EstimatorSettings;
import io.surge.state.ObservationSpec;
import io.surge.state.ServiceTopology;
import io.surge.state.TestServices;
import io.surge.state.catalog.Catalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which published policy decides for a service (issue 9, item 2), in two subtasks of the scheduler
 * that get the same updates in different orders, before and after a restore; and what happens when
 * the job is restored with a catalog the published policy no longer fits (item 6).
 */
class SchedulerPolicyPrecedenceTest {

  private static final String SERVICE = "svc";
  private static final int MAX_PARALLELISM = 128;
  private static final int PARALLELISM = 2;
  private static final long T0 = 1_000_000L;
  private static final int HISTORY = EstimatorSettings.defaults().historyLength();

  private final ServiceTopology topology = TestServices.topology();
  private final ObservationSpec spec =
      ObservationSpec.of(topology, EstimatorSettings.defaults().withHistoryLength(HISTORY));
  private final List<
          KeyedBroadcastOperatorTestHarness<String, SchedulerInput, PolicyUpdate, Dispatch>>
      open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (var h : open) {
      h.close();
    }
  }

  @Test
  void aPolicyForTheServiceWinsOverANewerOneForAllInEverySubtaskWhateverTheOrder()
      throws Exception {
    PolicyUpdate allV5 = forAll(0, 5);
    PolicyUpdate ownV6 = forService(1, 6); // favours medium
    PolicyUpdate allV9 = forAll(2, 9);
    var first = subtask(0, TestServices.catalog(), null);
    var second = subtask(1, TestServices.catalog(), null);
    for (PolicyUpdate u : List.of(allV5, ownV6, allV9)) {
      first.processBroadcastElement(u, T0);
    }
    for (PolicyUpdate u : List.of(allV9, ownV6, allV5)) {
      second.processBroadcastElement(u, T0);
    }

    assertThat(chosen(first)).isEqualTo(6L);
    assertThat(chosen(second)).isEqualTo(6L);
    var owner = ownerOfTheService(first, second);
    request(owner, "a");
    assertThat(owner.extractOutputValues())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getPolicyVersion()).isEqualTo(6L);
              assertThat(d.getVariant()).isEqualTo("medium");
            });

    // after a restore each subtask still holds the same policies and picks the same one
    OperatorSubtaskState firstSnapshot = first.snapshot(1, T0);
    OperatorSubtaskState secondSnapshot = second.snapshot(1, T0);
    var firstRestored = subtask(0, TestServices.catalog(), firstSnapshot);
    var secondRestored = subtask(1, TestServices.catalog(), secondSnapshot);
    assertThat(chosen(firstRestored)).isEqualTo(6L);
    assertThat(chosen(secondRestored)).isEqualTo(6L);
    var restoredOwner = owner == first ? firstRestored : secondRestored;
    request(restoredOwner, "b");
    assertThat(restoredOwner.extractOutputValues())
        .singleElement()
        .satisfies(d -> assertThat(d.getPolicyVersion()).isEqualTo(6L));

    // an all-services update, however new, still does not take the service's place
    firstRestored.processBroadcastElement(forAll(2, 12), T0);
    secondRestored.processBroadcastElement(forAll(2, 12), T0);
    assertThat(chosen(firstRestored)).isEqualTo(6L);
    assertThat(chosen(secondRestored)).isEqualTo(6L);
  }

  @Test
  void aServiceWithoutItsOwnPolicyTakesTheNewestForAll() throws Exception {
    var only = subtask(0, TestServices.catalog(), null);
    only.processBroadcastElement(forAll(2, 9), T0);
    only.processBroadcastElement(forAll(0, 5), T0);

    assertThat(chosen(only)).isEqualTo(9L);
  }

  @Test
  void restoredWithAChangedCatalogThePolicyNoLongerFitsAndTheFallbackDecides() throws Exception {
    var before = subtask(owningSubtask(), TestServices.catalog(), null);
    before.processBroadcastElement(forAll(1, 5), T0);
    request(before, "a");
    assertThat(before.extractOutputValues())
        .singleElement()
        .satisfies(d -> assertThat(d.getPolicyVersion()).isEqualTo(5L));
    OperatorSubtaskState snapshot = before.snapshot(1, T0);

    // a server added leaves the observation as it was (its features are per variant): the policy
    // still fits; a variant removed changes the observation and the actions: it no longer does
    Catalog base = TestServices.catalog();
    List<Catalog.Server> servers = new ArrayList<>(base.servers());
    servers.add(new Catalog.Server("s2", "http://s2", List.of("m-small", "m-medium", "m-large")));
    assertThat(specOf(new Catalog(base.services(), servers)).hash()).isEqualTo(spec.hash());
    Catalog.Service svc = base.service(SERVICE);
    List<Catalog.Variant> variants = new ArrayList<>(svc.variants());
    variants.remove(1); // medium retired
    servers = new ArrayList<>(base.servers());
    servers.set(0, new Catalog.Server("s0", "http://s0", List.of("m-small", "m-large")));
    Catalog grown =
        new Catalog(List.of(new Catalog.Service(SERVICE, svc.deadlineMs(), variants)), servers);
    ObservationSpec grownSpec = specOf(grown);
    assertThat(grownSpec.hash()).isNotEqualTo(spec.hash());

    var after = subtask(owningSubtask(), grown, snapshot);
    assertThat(chosen(after)).as("the update is still there").isEqualTo(5L);
    request(after, "b");
    assertThat(after.extractOutputValues())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getPolicyVersion()).as("greedy-slo decides").isZero();
            });

    // a policy trained for the new topology is taken again
    PolicyUpdate fits =
        TestPolicies.update(
                TestPolicies.favouring(
                        grownSpec, ServiceTopology.of(grown, SERVICE).actionNames(), 0, 6)
                    .toBytes(),
                6)
            .build();
    after.processBroadcastElement(fits, T0);
    request(after, "c");
    assertThat(after.extractOutputValues())
        .extracting(Dispatch::getPolicyVersion)
        .containsExactly(0L, 6L);
  }

  // ---------------------------------------------------------------- helpers

  private static ObservationSpec specOf(Catalog catalog) {
    return ObservationSpec.of(
        ServiceTopology.of(catalog, SERVICE),
        EstimatorSettings.defaults().withHistoryLength(HISTORY));
  }

  private PolicyUpdate forAll(int action, long version) {
    return TestPolicies.update(
            TestPolicies.favouring(spec, topology.actionNames(), action, version).toBytes(),
            version)
        .build();
  }

  private PolicyUpdate forService(int action, long version) {
    return PolicyUpdate.newBuilder(forAll(action, version)).setService(SERVICE).build();
  }

  private static long chosen(
      KeyedBroadcastOperatorTestHarness<String, SchedulerInput, PolicyUpdate, Dispatch> h)
      throws Exception {
    PolicyUpdate p =
        SchedulerFunction.policyFor(h.getBroadcastState(SchedulerState.POLICIES), SERVICE);
    return p == null ? 0 : p.getVersion();
  }

  private static int owningSubtask() {
    return KeyGroupRangeAssignment.assignKeyToParallelOperator(
        SERVICE, MAX_PARALLELISM, PARALLELISM);
  }

  private KeyedBroadcastOperatorTestHarness<String, SchedulerInput, PolicyUpdate, Dispatch>
      ownerOfTheService(
          KeyedBroadcastOperatorTestHarness<String, SchedulerInput, PolicyUpdate, Dispatch> first,
          KeyedBroadcastOperatorTestHarness<String, SchedulerInput, PolicyUpdate, Dispatch>
              second) {
    return owningSubtask() == 0 ? first : second;
  }

  private KeyedBroadcastOperatorTestHarness<String, SchedulerInput, PolicyUpdate, Dispatch> subtask(
      int index, Catalog catalog, OperatorSubtaskState restoreFrom) throws Exception {
    var h =
        new KeyedBroadcastOperatorTestHarness<String, SchedulerInput, PolicyUpdate, Dispatch>(
            new CoBroadcastWithKeyedOperator<>(
                new SchedulerFunction(
                    catalog,
                    TestServices.profile(),
                    GreedySloPolicy.NAME,
                    HISTORY,
                    -1.0,
                    Duration.ofHours(1),
                    16 << 20,
                    OnnxPolicy.Mode.SAMPLE),
                List.of(SchedulerState.POLICIES)),
            new SchedulerInputs.ByService(),
            Types.STRING,
            MAX_PARALLELISM,
            PARALLELISM,
            index);
    h.setup();
    if (restoreFrom != null) {
      h.initializeState(restoreFrom);
    }
    h.open();
    h.setProcessingTime(T0);
    open.add(h);
    return h;
  }

  private static void request(
      KeyedBroadcastOperatorTestHarness<String, SchedulerInput, PolicyUpdate, Dispatch> h,
      String id)
      throws Exception {
    InferenceRequest request =
        InferenceRequest.newBuilder()
            .setRequestId(id)
            .setService(SERVICE)
            .setCreatedAt(Instant.ofEpochMilli(T0))
            .setDeadlineMs(100)
            .build();
    h.processElement(
        SchedulerInput.newBuilder().setService(SERVICE).setRequest(request).build(), T0);
  }
}
