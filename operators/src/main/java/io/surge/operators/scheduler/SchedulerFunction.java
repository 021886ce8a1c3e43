package io.surge.operators.scheduler;

import io.surge.policy.DecisionStep;
import io.surge.policy.SchedulingPolicy;
import io.surge.policy.onnx.OnnxPolicy;
import io.surge.schema.Completion;
import io.surge.schema.Dispatch;
import io.surge.schema.InferenceRequest;
import io.surge.schema.PendingDecision;
import io.surge.schema.PolicyUpdate;
import io.surge.schema.ResultStatus;
import io.surge.schema.SchedulerInput;
import io.surge.schema.Transition;
import io.surge.state.EstimatorSettings;
import io.surge.state.RequestDeadline;
import io.surge.state.RequestIds;
import io.surge.state.WorkloadState;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The scheduler, keyed by service. For each request it updates the service's workload state, builds
 * the observation, asks the policy and emits a dispatch (or a SHED result); for each completion it
 * updates the estimators once per request id and emits the decision's transition. The policy
 * arrives on the broadcast side; until one does, the fallback heuristic decides.
 *
 * <p>Keyed state: the {@link WorkloadState} and the pending decisions (request id -> what the
 * transition needs). A processing-time timer per second of deadlines expires decisions whose
 * completion never came, so neither state nor timers outlive their requests.
 */
public final class SchedulerFunction
    extends KeyedBroadcastProcessFunction<String, SchedulerInput, PolicyUpdate, Dispatch> {

  /** A decision whose completion has not come this long after its deadline is given up. */
  static final long EXPIRY_GRACE_MILLIS = 30_000;

  private final Catalog catalog;
  private final LatencyProfile profile;
  private final String fallbackPolicy;
  private final int historyLength;
  private final double shedReward;
  private final Duration stateTtl;
  private final long maxPolicyBytes;
  private final OnnxPolicy.Mode policyMode;

  private transient ValueState<WorkloadState> workload;
  private transient MapState<String, PendingDecision> pending;
  private transient Map<String, ServiceRuntime> services;
  private transient Counter dispatched;
  private transient Counter shed;
  private transient Counter completions;
  private transient Counter ignoredCompletions;
  private transient Counter expired;
  private transient Counter policyUpdates;
  private transient Counter policiesUnfit;
  private transient volatile long policyVersion;
  private transient SchedulerMetrics decisionMetrics;

  /**
   * @param fallbackPolicy the heuristic deciding until a policy is published (e.g. greedy-slo)
   * @param shedReward reward of a shed (or expired) request: 0, or a negative penalty
   * @param maxPolicyBytes the validator's size limit, so both accept the same policies
   */
  public SchedulerFunction(
      Catalog catalog,
      LatencyProfile profile,
      String fallbackPolicy,
      int historyLength,
      double shedReward,
      Duration stateTtl,
      long maxPolicyBytes,
      OnnxPolicy.Mode policyMode) {
    this.catalog = catalog;
    this.profile = profile;
    this.fallbackPolicy = fallbackPolicy;
    this.historyLength = historyLength;
    this.shedReward = shedReward;
    this.stateTtl = stateTtl;
    this.maxPolicyBytes = maxPolicyBytes;
    this.policyMode = policyMode;
  }

  @Override
  public void open(OpenContext openContext) {
    workload = getRuntimeContext().getState(SchedulerState.workload(stateTtl));
    pending = getRuntimeContext().getMapState(SchedulerState.pending(stateTtl));
    services = new HashMap<>();
    var metrics = getRuntimeContext().getMetricGroup();
    dispatched = metrics.counter("dispatched");
    shed = metrics.counter("shed");
    completions = metrics.counter("completions");
    ignoredCompletions = metrics.counter("completionsIgnored");
    expired = metrics.counter("decisionsExpired");
    policyUpdates = metrics.counter("policyUpdates");
    policiesUnfit = metrics.counter("policiesUnfit");
    metrics.gauge("policyVersion", () -> policyVersion);
    decisionMetrics = new SchedulerMetrics(metrics);
  }

  @Override
  public void close() {
    if (services != null) {
      services.values().forEach(ServiceRuntime::close);
    }
  }

  @Override
  public void processElement(SchedulerInput input, ReadOnlyContext ctx, Collector<Dispatch> out)
      throws Exception {
    ServiceRuntime runtime = runtime(ctx.getCurrentKey());
    if (runtime == null) {
      // validated requests always name a catalog service, so this is a completion of another
      // catalog (or junk on the completions topic): ignore it rather than fail the job for good
      ignoredCompletions.inc();
      return;
    }
    long now = ctx.timerService().currentProcessingTime();
    if (input.getRequest() != null) {
      schedule(input.getRequest(), runtime, ctx, now, out);
    } else if (input.getCompletion() != null) {
      complete(input.getCompletion(), runtime, ctx, now);
    }
  }

  private void schedule(
      InferenceRequest request,
      ServiceRuntime runtime,
      ReadOnlyContext ctx,
      long now,
      Collector<Dispatch> out)
      throws Exception {
    String id = request.getRequestId();
    if (pending.contains(id)) {
      return; // already dispatched: its result will come from the invoker
    }
    SchedulingPolicy policy =
        runtime.policy(
            policyFor(ctx.getBroadcastState(SchedulerState.POLICIES), ctx.getCurrentKey()));
    long version = policy.version();
    policyVersion = version;
    WorkloadState state = workloadOf(runtime);
    long deadlineAt = RequestDeadline.epochMillis(request);
    double minAccuracy = request.getMinAccuracy() == null ? Double.NaN : request.getMinAccuracy();
    DecisionStep step =
        runtime.step.decide(
            policy,
            state,
            RequestIds.key(id),
            deadlineAt - now,
            minAccuracy,
            runtime.health.healthyMask(now),
            now * 1_000_000L);
    workload.update(state);
    PendingDecision decision =
        SchedulerRecords.pending(
            step.isShed() ? -1 : step.action(),
            step.server(),
            version,
            step.action(),
            step.probability(),
            now,
            deadlineAt,
            step.observation(),
            step.mask());
    long decisionLatencyMs = Math.max(0, now - request.getCreatedAt().toEpochMilli());
    if (step.isShed()) {
      shed.inc();
      decisionMetrics.onShed(decisionLatencyMs);
      ctx.output(SchedulerOutputs.SHED, SchedulerRecords.shed(request, version, shedReward, now));
      ctx.output(SchedulerOutputs.TRANSITIONS, transition(id, runtime, decision, shedReward, now));
      return;
    }
    dispatched.inc();
    decisionMetrics.onDispatch(runtime.topology.variantName(step.action()), decisionLatencyMs);
    pending.put(id, decision);
    ctx.timerService().registerProcessingTimeTimer(expiryTimer(deadlineAt));
    out.collect(
        SchedulerRecords.dispatch(
            request, runtime.topology, step.action(), step.server(), version, now));
  }

  private void complete(
      Completion completion, ServiceRuntime runtime, ReadOnlyContext ctx, long now)
      throws Exception {
    String id = completion.getRequestId();
    PendingDecision decision = pending.get(id);
    if (decision == null) {
      ignoredCompletions.inc(); // a duplicate (the loop is at-least-once) or an expired one
      return;
    }
    WorkloadState state = workloadOf(runtime);
    boolean onTime = ResultStatus.OK.name().equals(completion.getStatus());
    runtime
        .builder
        .tracker()
        .onCompletion(
            state,
            RequestIds.key(id),
            completion.getLatencyMs(),
            !onTime,
            completion.getReward(),
            now * 1_000_000L);
    runtime.health.onCompletion(
        decision.getServerIndex(), ResultStatus.FAILED.name().equals(completion.getStatus()), now);
    workload.update(state);
    pending.remove(id);
    completions.inc();
    ctx.output(
        SchedulerOutputs.TRANSITIONS,
        transition(
            id,
            runtime,
            decision,
            completion.getReward(),
            completion.getCompletedAt().toEpochMilli()));
  }

  /** Gives up on decisions whose completion never came, so their state does not linger. */
  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Dispatch> out)
      throws Exception {
    ServiceRuntime runtime = runtime(ctx.getCurrentKey());
    List<Map.Entry<String, PendingDecision>> overdue = new ArrayList<>();
    for (Iterator<Map.Entry<String, PendingDecision>> it = pending.iterator(); it.hasNext(); ) {
      Map.Entry<String, PendingDecision> e = it.next();
      if (expiryTimer(e.getValue().getDeadlineAt().toEpochMilli()) <= timestamp) {
        overdue.add(Map.entry(e.getKey(), e.getValue()));
      }
    }
    if (overdue.isEmpty()) {
      return;
    }
    WorkloadState state = workloadOf(runtime);
    for (Map.Entry<String, PendingDecision> e : overdue) {
      double latencyMs = timestamp - e.getValue().getDecidedAt().toEpochMilli();
      runtime
          .builder
          .tracker()
          .onCompletion(
              state,
              RequestIds.key(e.getKey()),
              latencyMs,
              true,
              shedReward,
              timestamp * 1_000_000L);
      pending.remove(e.getKey());
      expired.inc();
      ctx.output(
          SchedulerOutputs.TRANSITIONS,
          transition(e.getKey(), runtime, e.getValue(), shedReward, timestamp));
    }
    workload.update(state);
  }

  @Override
  public void processBroadcastElement(PolicyUpdate update, Context ctx, Collector<Dispatch> out)
      throws Exception {
    // only the broadcast side writes; "newer wins" makes every subtask agree whatever the order
    BroadcastState<String, PolicyUpdate> policies = ctx.getBroadcastState(SchedulerState.POLICIES);
    String key = update.getService() == null ? SchedulerState.ALL_SERVICES : update.getService();
    PolicyUpdate current = policies.get(key);
    if (current == null || update.getVersion() > current.getVersion()) {
      policies.put(key, update);
      policyUpdates.inc();
    }
  }

  /**
   * The policy published for the service: its own when there is one, whatever its version, else the
   * one for every service. The choice reads only the broadcast state, which holds the newest update
   * per key and so ends the same in every subtask whatever order the updates came in, and is
   * restored as it was: every subtask, before and after a restore, picks the same policy.
   */
  static PolicyUpdate policyFor(
      ReadOnlyBroadcastState<String, PolicyUpdate> policies, String service) throws Exception {
    PolicyUpdate own = policies.get(service);
    return own != null ? own : policies.get(SchedulerState.ALL_SERVICES);
  }

  private WorkloadState workloadOf(ServiceRuntime runtime) throws Exception {
    WorkloadState state = workload.value();
    if (state == null || !runtime.builder.tracker().fits(state)) {
      // first request, or a savepoint taken with another catalog: start afresh
      state = runtime.builder.tracker().newState();
    }
    return state;
  }

  /** The service's runtime, or null when the catalog has no such service. */
  private ServiceRuntime runtime(String service) {
    return services.computeIfAbsent(
        service,
        s ->
            catalog.service(s) == null
                ? null
                : new ServiceRuntime(
                    catalog,
                    profile,
                    s,
                    EstimatorSettings.defaults().withHistoryLength(historyLength),
                    fallbackPolicy,
                    shedReward,
                    maxPolicyBytes,
                    policyMode,
                    policiesUnfit));
  }

  private Transition transition(
      String id,
      ServiceRuntime runtime,
      PendingDecision decision,
      double reward,
      long completedAt) {
    return SchedulerRecords.transition(
        id,
        runtime.topology.service(),
        runtime.builder.spec().hash(),
        decision,
        reward,
        completedAt);
  }

  /** Timers are coalesced per second: one timer serves every deadline within it. */
  static long expiryTimer(long deadlineAt) {
    long at = deadlineAt + EXPIRY_GRACE_MILLIS;
    return (at / 1000 + 1) * 1000;
  }
}
