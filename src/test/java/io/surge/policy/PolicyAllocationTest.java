package io.surge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.policy.baseline.Policies;
import io.surge.policy.onnx.OnnxPolicy;
import io.surge.policy.onnx.OnnxPolicyServable;
import io.surge.state.ActionMask;
import io.surge.state.ObservationBuilder;
import io.surge.state.RequestIds;
import io.surge.state.TestServices;
import io.surge.state.WorkloadState;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/** The heuristics sit on the decision path: they must not allocate. ONNX Runtime is bounded. */
class PolicyAllocationTest {

  private static final long ALL = 0b11;

  private final ObservationBuilder builder = TestServices.builder();
  private final WorkloadState state = builder.tracker().newState(1024);
  private final DecisionContext context = DecisionContext.of(builder);
  private final float[] observation = new float[builder.spec().dimension()];
  private final float[] mask = new float[builder.spec().actionCount()];
  private final Decision decision = new Decision();
  private final Router router = new Router(builder.latency());
  private long sink;

  @Test
  void heuristicsAllocateNothing() {
    ActionMask.compute(builder.topology(), ALL, Double.NaN, mask);
    for (String name : Policies.names()) {
      SchedulingPolicy policy = Policies.byName(name, builder.topology(), builder.latency());
      long bytes = allocatedBy(i -> decideAndDispatch(policy, i), 20_000, 100_000);
      assertThat(bytes).as(name + " allocated bytes over 100k decisions").isLessThan(1024);
    }
  }

  @Test
  void onnxPolicyAllocationPerDecisionIsSmallAndBounded() throws Exception {
    byte[] model = PolicyModels.constant(builder.spec(), 0.1f, 0.2f, 0.3f, 0.4f).toBytes();
    ActionMask.compute(builder.topology(), ALL, Double.NaN, mask);
    try (OnnxPolicy policy =
        OnnxPolicy.load(
            model, builder.spec(), PolicyModels.ACTIONS, OnnxPolicy.Options.defaults())) {
      int n = 20_000;
      long bytes = allocatedBy(i -> decideAndDispatch(policy, i), 5_000, n);
      double perDecision = bytes / (double) n;
      System.out.printf(
          "OnnxPolicy: %.0f bytes allocated per decision (ONNX Runtime's run)%n", perDecision);
      // ORT's Java run() allocates its Result and handle arrays; a regression to per-call tensors
      // or buffers would add kilobytes
      assertThat(perDecision).isLessThan(2_048);
    }
  }

  @Test
  void theServablesDecisionAllocatesNoMoreThanTheOnnxPolicysOwn() throws Exception {
    byte[] model = PolicyModels.constant(builder.spec(), 0.1f, 0.2f, 0.3f, 0.4f).toBytes();
    ActionMask.compute(builder.topology(), ALL, Double.NaN, mask);
    int n = 20_000;
    double direct;
    try (OnnxPolicy policy =
        OnnxPolicy.load(
            model, builder.spec(), PolicyModels.ACTIONS, OnnxPolicy.Options.defaults())) {
      direct = allocatedBy(i -> decideAndDispatch(policy, i), 5_000, n) / (double) n;
    }
    try (OnnxPolicyServable servable =
        new OnnxPolicyServable(builder.spec(), PolicyModels.ACTIONS)) {
      servable.setModelData(new ByteArrayInputStream(model));
      double served = allocatedBy(i -> decideAndDispatch(servable, i), 5_000, n) / (double) n;
      System.out.printf(
          "bytes allocated per decision: OnnxPolicy %.0f, OnnxPolicyServable %.0f%n",
          direct, served);
      // no DataFrame, Row or vector per request: those would add hundreds of bytes
      assertThat(served).isLessThan(direct + 64);
    }
  }

  private void decideAndDispatch(SchedulingPolicy policy, int i) {
    long now = i * 1_000_000L;
    long key = RequestIds.mix(i + 1L) | 1;
    builder.tracker().onArrival(state, now);
    builder.observe(state, 60, ALL, now, observation);
    context.set(state, 60, ALL, now);
    policy.decide(observation, mask, key, context, decision);
    if (decision.isShed(3)) {
      builder.tracker().onShed(state, 0);
      return;
    }
    int server = router.route(state, decision.action(), ALL);
    builder.tracker().onDispatch(state, key, decision.action(), server, now);
    builder.tracker().onCompletion(state, key, 10, false, 75, 0);
    sink += server;
  }

  private static long allocatedBy(IntConsumer step, int warmup, int measured) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < warmup; i++) {
      step.accept(i);
    }
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < measured; i++) {
      step.accept(warmup + i);
    }
    return threads.getThreadAllocatedBytes(thread) - before;
  }
}
