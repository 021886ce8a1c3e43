package io.surge.sim.engine;

import io.surge.policy.DecisionStep;
import io.surge.policy.SchedulingPolicy;
import io.surge.schema.ResultStatus;
import io.surge.sim.disturb.Disturbance;
import io.surge.state.LatencyTable;
import io.surge.state.ObservationBuilder;
import io.surge.state.ObservationSpec;
import io.surge.state.RequestIds;
import io.surge.state.ServerHealthView;
import io.surge.state.ServiceTopology;
import io.surge.state.WorkloadState;
import io.surge.state.WorkloadTracker;
import io.surge.state.metrics.Scoreboard;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Discrete-event simulation of one service on its edge servers, in virtual nanoseconds.
 *
 * <p>A request is created by the workload; after the creation-to-decision delay (Kafka, Flink) the
 * scheduler decides it through the shared {@link DecisionStep}; a dispatched call reaches its
 * server after half the protocol overhead and joins the (variant, server) batching queue; the
 * server runs one batch at a time, the ready queue whose oldest request waited longest first, each
 * execution taking the profile's time (with jitter) times the server's slow-down; the answer goes
 * back over the other half of the overhead. The invoker times a call out at the request's deadline
 * (LATE; the server still does the work). The scheduler learns each outcome after the completion
 * loop's delay: then {@link WorkloadTracker#onCompletion} and the {@link ServerHealthView} are fed,
 * as in the Flink operator.
 *
 * <p>Disturbances: a slow-down multiplies executions that start while it lasts; an outage fails
 * every call queued or running on the server at once and every call reaching it while down; an
 * error window answers every call reaching the server with a 5xx (FAILED). The scheduler notices a
 * broken server only through its {@link ServerHealthView} (consecutive FAILED completions).
 *
 * <p>Random streams, each derived from the scenario's seed: arrivals; per-request overheads (all
 * drawn at creation, whatever the decision, so policies compared on a seed see the same delays);
 * execution jitter. Not thread-safe. Nothing is allocated per request (tables grow, rarely).
 */
public final class Simulator {

  private static final int ARRIVAL = 0;
  private static final int DECIDE = 1;
  private static final int AT_SERVER = 2;
  private static final int BATCH_TIMER = 3;
  private static final int EXEC_DONE = 4;
  private static final int REPLY = 5;
  private static final int DEADLINE = 6;
  private static final int SEEN = 7;
  private static final int DISTURB_START = 8;
  private static final int DISTURB_END = 9;
  private static final int TYPE_BITS = 4;
  private static final long TYPE_MASK = (1 << TYPE_BITS) - 1;
  private static final long SERVER_BITS = 7; // 64 servers at most

  private static final long NANOS_PER_MS = 1_000_000L;
  private static final ResultStatus[] OUTCOMES = ResultStatus.values();

  private final SimulatorConfig config;
  private final ServiceTopology topology;
  private final LatencyTable latency;
  private final ObservationBuilder builder;
  private final WorkloadTracker tracker;
  private final DecisionStep step;
  private final Calibration calibration;
  private final ExecutionTimes executionTimes;
  private final int servers;
  private final int variants;
  private final int[] preferredBatches;
  private final long maxQueueDelayNanos;
  private final long queueTimeoutNanos;
  private final long deadlineNanos;

  private final EventQueue events = new EventQueue();
  private final RequestTable requests = new RequestTable(1024);
  private final BatchQueues queues;
  private final long[] batchTimerAt;
  private final boolean[] busy;
  private final int[] epoch;
  private final int[][] batch;
  private final int[] batchSize;
  private final double[] slowdown;
  private final int[] downCount;
  private final int[] errorCount;

  // ---- per run
  private OutcomeListener listener = OutcomeListener.NONE;
  private ExecutionTrace trace = ExecutionTrace.NONE;
  private Scoreboard scoreboard;
  private WorkloadState state;
  private ServerHealthView health;
  private ArrivalLookahead arrivals;
  private SplittableRandom overheadRng;
  private SplittableRandom jitterRng;
  private long keySeed;
  private List<Disturbance> disturbances = List.of();
  private int[] disturbedServer = new int[0];
  private boolean[] disturbanceActive = new boolean[0];
  private long created;
  private long reported;
  private long decisions;
  private boolean arrivalsDone;
  private int pendingSlot = -1;
  private long now;

  public Simulator(SimulatorConfig config) {
    this.config = config;
    this.topology = ServiceTopology.of(config.catalog(), config.service());
    this.calibration = config.calibration().withLatencyScale(config.latencyScale());
    this.latency = LatencyTable.from(calibration.profile(), topology);
    ObservationSpec spec = ObservationSpec.of(topology, config.estimators());
    if (config.privileged()) {
      spec = spec.withPrivileged(PrivilegedFeatures.names(topology));
    }
    this.builder = ObservationBuilder.create(topology, latency, spec);
    this.tracker = builder.tracker();
    this.step = new DecisionStep(builder, config.rewards().shed());
    this.executionTimes =
        new ExecutionTimes(latency, calibration.profile(), config.executionJitter());
    this.servers = topology.serverCount();
    this.variants = topology.variantCount();
    this.preferredBatches =
        config.batcher().preferredBatchSizes().stream().mapToInt(Integer::intValue).toArray();
    this.maxQueueDelayNanos = config.batcher().maxQueueDelayMicros() * 1000;
    this.deadlineNanos = topology.deadlineMs() * NANOS_PER_MS;
    this.queueTimeoutNanos =
        config.batcher().queueTimeoutMicros() > 0
            ? config.batcher().queueTimeoutMicros() * 1000
            : deadlineNanos;
    this.queues = new BatchQueues(variants * servers);
    this.batchTimerAt = new long[variants * servers];
    this.busy = new boolean[servers];
    this.epoch = new int[servers];
    this.batch = new int[servers][];
    int largest = 1;
    for (int s = 0; s < servers; s++) {
      for (int v = 0; v < variants; v++) {
        largest = Math.max(largest, latency.maxBatch(v, s));
      }
    }
    for (int s = 0; s < servers; s++) {
      batch[s] = new int[largest];
    }
    this.batchSize = new int[servers];
    this.slowdown = new double[servers];
    this.downCount = new int[servers];
    this.errorCount = new int[servers];
  }

  public SimulatorConfig config() {
    return config;
  }

  public ServiceTopology topology() {
    return topology;
  }

  /** The observation spec of this simulator's decisions (privileged features included if on). */
  public ObservationSpec spec() {
    return builder.spec();
  }

  /** The scheduler's latency predictions (the calibration's profile, scaled). */
  public LatencyTable latency() {
    return latency;
  }

  // ---------------------------------------------------------------- running

  /** Sets what sees every batch started (for tests and diagnostics); kept across runs. */
  public void trace(ExecutionTrace executionTrace) {
    this.trace = executionTrace;
  }

  /** Runs a whole scenario with a policy (as the operator would run it) and scores it. */
  public Scoreboard run(SchedulingPolicy policy, Scenario scenario) {
    return run(policy, scenario, OutcomeListener.NONE);
  }

  public Scoreboard run(SchedulingPolicy policy, Scenario scenario, OutcomeListener listener) {
    start(scenario, listener);
    while (advance()) {
      decide(policy);
    }
    return scoreboard;
  }

  /** Starts a run; call {@link #advance()} to reach its first decision. */
  public void start(Scenario scenario, OutcomeListener listener) {
    this.listener = listener;
    long seed = scenario.seed();
    this.scoreboard = new Scoreboard(topology.actionNames());
    this.state = tracker.newState();
    this.health = new ServerHealthView(servers, config.failuresToTrip(), config.coolDownMillis());
    long endNanos = Math.round(scenario.durationSeconds() * 1e9);
    this.arrivals = new ArrivalLookahead(scenario.workload().newProcess(stream(seed, 1)), endNanos);
    this.overheadRng = new SplittableRandom(stream(seed, 2));
    this.jitterRng = new SplittableRandom(stream(seed, 3));
    this.keySeed = stream(seed, 4);
    events.clear();
    requests.clear();
    queues.clear();
    Arrays.fill(batchTimerAt, Long.MIN_VALUE);
    Arrays.fill(busy, false);
    Arrays.fill(batchSize, 0);
    Arrays.fill(slowdown, 1.0);
    Arrays.fill(downCount, 0);
    Arrays.fill(errorCount, 0);
    created = 0;
    reported = 0;
    decisions = 0;
    pendingSlot = -1;
    now = 0;
    scheduleDisturbances(scenario);
    arrivalsDone = false;
    scheduleNextArrival();
  }

  /**
   * Runs to the next decision and prepares it ({@link #observation()}, {@link #mask()}); answer it
   * with {@link #decide} or {@link #act}.
   *
   * @return false when the run is over: arrivals ended and every request has its outcome
   */
  public boolean advance() {
    if (pendingSlot >= 0) {
      throw new IllegalStateException("the pending decision has not been answered");
    }
    while (!(arrivalsDone && reported == created)) {
      events.pop();
      now = events.time();
      if (handle(events.payload())) {
        return true;
      }
    }
    return false;
  }

  /** Answers the pending decision with a policy. */
  public void decide(SchedulingPolicy policy) {
    int slot = requirePending();
    step.ask(policy, requests.key[slot]);
    finishDecision(slot);
  }

  /** Answers the pending decision with an action chosen elsewhere (the training environment). */
  public void act(int action, double probability) {
    int slot = requirePending();
    step.choose(action, probability);
    finishDecision(slot);
  }

  /** The pending decision's observation (the step's buffer: copy it to keep it). */
  public float[] observation() {
    return step.observation();
  }

  public float[] mask() {
    return step.mask();
  }

  /** Index of the pending (or, after answering, the last) decision in the run. */
  public long decisionIndex() {
    return decisions - 1;
  }

  /** The step of the last decision: its action, probability and server. */
  public DecisionStep lastStep() {
    return step;
  }

  /** The run's scores so far. */
  public Scoreboard scoreboard() {
    return scoreboard;
  }

  /** Requests created so far, and those whose outcome the scheduler has learnt. */
  public long created() {
    return created;
  }

  public long reported() {
    return reported;
  }

  /** Current simulated time, nanoseconds since the start of the run. */
  public long nowNanos() {
    return now;
  }

  /** The scheduler's view of the service's workload (for tests and diagnostics). */
  public WorkloadState workloadState() {
    return state;
  }

  /** The mask the scheduler would use now. */
  public long healthyServers() {
    return health.healthyMask(now / NANOS_PER_MS);
  }

  // ---------------------------------------------------------------- events

  /** Handles one event; true when it prepared a decision. */
  private boolean handle(long payload) {
    int type = (int) (payload & TYPE_MASK);
    long arg = payload >>> TYPE_BITS;
    switch (type) {
      case ARRIVAL -> onArrival();
      case DECIDE -> {
        return onDecide((int) arg);
      }
      case AT_SERVER -> onAtServer((int) arg);
      case BATCH_TIMER -> tryStart((int) arg % servers);
      case EXEC_DONE ->
          onExecutionDone((int) (arg & ((1 << SERVER_BITS) - 1)), arg >>> SERVER_BITS);
      case REPLY -> onReply((int) arg);
      case DEADLINE -> onDeadline((int) arg);
      case SEEN -> onSeen((int) arg);
      case DISTURB_START -> onDisturbance((int) arg, true);
      case DISTURB_END -> onDisturbance((int) arg, false);
      default -> throw new IllegalStateException("unknown event " + type);
    }
    return false;
  }

  private void scheduleNextArrival() {
    long t = arrivals.next();
    if (t == Long.MAX_VALUE) {
      arrivalsDone = true;
    } else {
      events.push(t, ARRIVAL);
    }
  }

  private void onArrival() {
    int slot = requests.allocate();
    created++;
    requests.key[slot] = requestKey(created);
    requests.createdAt[slot] = now;
    requests.deadlineAt[slot] = now + deadlineNanos;
    // every overhead of the request drawn now, in a fixed order: common random numbers
    long toDecision = calibration.creationToDecision().sampleNanos(overheadRng);
    long overhead = calibration.protocolOverhead().sampleNanos(overheadRng);
    requests.upNanos[slot] = overhead / 2;
    requests.downNanos[slot] = overhead - overhead / 2;
    requests.seenNanos[slot] = calibration.completionToScheduler().sampleNanos(overheadRng);
    pushSlot(now + toDecision, DECIDE, slot);
    scheduleNextArrival();
  }

  private boolean onDecide(int slot) {
    requests.decision[slot] = decisions++;
    double slackMs = (double) (requests.deadlineAt[slot] - now) / NANOS_PER_MS;
    step.prepare(state, slackMs, Double.NaN, healthyServers(), now);
    if (config.privileged()) {
      int nextSecond = arrivals.countUntil(now + 1_000_000_000L);
      PrivilegedFeatures.write(
          step.observation(), builder.spec().privilegedOffset(), nextSecond, slowdown);
    }
    pendingSlot = slot; // keeps the DECIDE event's reference until answered
    return true;
  }

  private int requirePending() {
    if (pendingSlot < 0) {
      throw new IllegalStateException("no decision is pending: call advance() first");
    }
    return pendingSlot;
  }

  private void finishDecision(int slot) {
    pendingSlot = -1;
    step.apply(state, requests.key[slot], now);
    if (step.isShed()) {
      requests.variant[slot] = -1;
      requests.server[slot] = -1;
      requests.outcome[slot] = (byte) ResultStatus.SHED.ordinal();
      requests.resultAt[slot] = now;
      report(slot, ResultStatus.SHED, config.rewards().shed());
    } else {
      requests.variant[slot] = step.action();
      requests.server[slot] = step.server();
      long deadline = requests.deadlineAt[slot];
      if (deadline <= now) {
        close(slot, ResultStatus.LATE); // no slack left: the invoker's timeout is already over
      } else {
        pushSlot(deadline, DEADLINE, slot);
        pushSlot(now + requests.upNanos[slot], AT_SERVER, slot);
      }
    }
    requests.release(slot);
  }

  private void onAtServer(int slot) {
    int s = requests.server[slot];
    if (!requests.isOpen(slot)) {
      requests.release(slot); // timed out on the way: the client cancelled it
      return;
    }
    if (downCount[s] > 0 || errorCount[s] > 0) {
      reply(slot, ResultStatus.FAILED); // refused, or a fast 5xx
    } else {
      int q = requests.variant[slot] * servers + s;
      if (queues.size(q) >= config.batcher().queueCapacity()) {
        reply(slot, ResultStatus.LATE); // 503 queue full: overload, not a fault
      } else {
        requests.enqueuedAt[slot] = now;
        queues.add(q, slot);
        requests.retain(slot);
        tryStart(s);
        armBatchTimer(q);
      }
    }
    requests.release(slot);
  }

  /** The server's answer leaves now and reaches the invoker after the return leg. */
  private void reply(int slot, ResultStatus outcome) {
    requests.replyOutcome[slot] = (byte) outcome.ordinal();
    pushSlot(now + requests.downNanos[slot], REPLY, slot);
  }

  private void onReply(int slot) {
    if (requests.isOpen(slot)) {
      close(slot, OUTCOMES[requests.replyOutcome[slot]]);
    }
    requests.release(slot);
  }

  private void onDeadline(int slot) {
    if (requests.isOpen(slot)) {
      close(slot, ResultStatus.LATE);
    }
    requests.release(slot);
  }

  /** The invoker has the request's result: it reaches the scheduler after the completion loop. */
  private void close(int slot, ResultStatus outcome) {
    requests.outcome[slot] = (byte) outcome.ordinal();
    requests.resultAt[slot] = now;
    pushSlot(now + requests.seenNanos[slot], SEEN, slot);
  }

  private void onSeen(int slot) {
    ResultStatus outcome = OUTCOMES[requests.outcome[slot]];
    double reward = reward(outcome, requests.variant[slot]);
    double latencyMs = latencyMs(slot);
    tracker.onCompletion(
        state, requests.key[slot], latencyMs, outcome != ResultStatus.OK, reward, now);
    health.onCompletion(requests.server[slot], outcome == ResultStatus.FAILED, now / NANOS_PER_MS);
    report(slot, outcome, reward);
    requests.release(slot);
  }

  private double reward(ResultStatus outcome, int variant) {
    return config
        .rewards()
        .of(outcome, outcome == ResultStatus.OK ? topology.accuracy(variant) : 0);
  }

  private double latencyMs(int slot) {
    return (double) (requests.resultAt[slot] - requests.createdAt[slot]) / NANOS_PER_MS;
  }

  private void report(int slot, ResultStatus outcome, double reward) {
    reported++;
    double latencyMs = latencyMs(slot);
    int variant = requests.variant[slot];
    scoreboard.record(outcome, variant, reward, latencyMs, requests.resultAt[slot] / NANOS_PER_MS);
    listener.onOutcome(requests.decision[slot], outcome, variant, reward, latencyMs, now);
  }

  // ---------------------------------------------------------------- servers

  /** Starts the next batch on an idle server: among ready queues, the oldest waiting request. */
  private void tryStart(int s) {
    if (busy[s] || downCount[s] > 0) {
      return;
    }
    int best = -1;
    int bestSize = 0;
    long oldest = Long.MAX_VALUE;
    for (int v = 0; v < variants; v++) {
      int maxBatch = latency.maxBatch(v, s);
      if (maxBatch == 0) {
        continue;
      }
      int q = v * servers + s;
      dropTimedOut(q);
      int n = readyBatch(q, maxBatch);
      if (n > 0 && requests.enqueuedAt[queues.peek(q)] < oldest) {
        best = q;
        bestSize = n;
        oldest = requests.enqueuedAt[queues.peek(q)];
      }
    }
    if (best < 0) {
      return;
    }
    int v = best / servers;
    for (int i = 0; i < bestSize; i++) {
      batch[s][i] = queues.poll(best);
    }
    batchSize[s] = bestSize;
    busy[s] = true;
    long duration =
        Math.max(1, Math.round(executionTimes.drawNanos(v, s, bestSize, jitterRng) * slowdown[s]));
    long arg = ((long) epoch[s] << SERVER_BITS) | s;
    events.push(now + duration, (arg << TYPE_BITS) | EXEC_DONE);
    trace.onExecution(s, v, bestSize, now, now + duration);
    for (int i = 0; i < bestSize; i++) {
      trace.onMember(requests.decision[batch[s][i]], requests.enqueuedAt[batch[s][i]]);
    }
    armBatchTimer(best);
  }

  /** The batch a queue can form now: 0 while it waits for more requests. */
  private int readyBatch(int q, int maxBatch) {
    int queued = queues.size(q);
    if (queued == 0) {
      return 0;
    }
    if (queued >= maxBatch) {
      return maxBatch;
    }
    if (now - requests.enqueuedAt[queues.peek(q)] >= maxQueueDelayNanos) {
      return queued;
    }
    int preferred = 0;
    for (int b : preferredBatches) {
      if (b <= queued && b <= maxBatch && b > preferred) {
        preferred = b;
      }
    }
    return preferred;
  }

  /** A wake-up for when the queue's oldest request has waited the batcher's delay. */
  private void armBatchTimer(int q) {
    if (queues.size(q) == 0) {
      return;
    }
    long at = requests.enqueuedAt[queues.peek(q)] + maxQueueDelayNanos;
    if (at > now && at != batchTimerAt[q]) {
      batchTimerAt[q] = at;
      events.push(at, ((long) q << TYPE_BITS) | BATCH_TIMER);
    }
  }

  /** Triton's queue policy: a request that waited past the queue timeout is answered 503. */
  private void dropTimedOut(int q) {
    while (queues.size(q) > 0 && now - requests.enqueuedAt[queues.peek(q)] > queueTimeoutNanos) {
      int slot = queues.poll(q);
      if (requests.isOpen(slot)) {
        reply(slot, ResultStatus.LATE);
      }
      requests.release(slot);
    }
  }

  private void onExecutionDone(int s, long eventEpoch) {
    if (eventEpoch != epoch[s]) {
      return; // the batch was lost in an outage
    }
    for (int i = 0; i < batchSize[s]; i++) {
      int slot = batch[s][i];
      if (requests.isOpen(slot)) {
        reply(slot, ResultStatus.OK);
      }
      requests.release(slot);
    }
    batchSize[s] = 0;
    busy[s] = false;
    tryStart(s);
  }

  // ---------------------------------------------------------------- disturbances

  private void scheduleDisturbances(Scenario scenario) {
    disturbances = scenario.disturbances().disturbances();
    disturbedServer = new int[disturbances.size()];
    disturbanceActive = new boolean[disturbances.size()];
    List<String> names = topologyServerNames();
    for (int d = 0; d < disturbances.size(); d++) {
      disturbedServer[d] = disturbances.get(d).serverIndex(names);
      events.push(seconds(disturbances.get(d).at()), ((long) d << TYPE_BITS) | DISTURB_START);
    }
  }

  private List<String> topologyServerNames() {
    String[] names = new String[servers];
    for (int s = 0; s < servers; s++) {
      names[s] = topology.serverName(s);
    }
    return List.of(names);
  }

  private void onDisturbance(int d, boolean starts) {
    Disturbance disturbance = disturbances.get(d);
    int s = disturbedServer[d];
    disturbanceActive[d] = starts;
    if (starts) {
      events.push(now + seconds(disturbance.duration()), ((long) d << TYPE_BITS) | DISTURB_END);
      if (disturbance.repeats()) {
        events.push(now + seconds(disturbance.every()), ((long) d << TYPE_BITS) | DISTURB_START);
      }
    }
    switch (disturbance.kind()) {
      case SLOWDOWN -> recomputeSlowdown(s);
      case ERRORS -> errorCount[s] += starts ? 1 : -1;
      case OUTAGE -> {
        downCount[s] += starts ? 1 : -1;
        if (starts && downCount[s] == 1) {
          failEverythingOn(s);
        } else if (!starts && downCount[s] == 0) {
          tryStart(s);
        }
      }
    }
  }

  private void recomputeSlowdown(int s) {
    double factor = 1.0;
    for (int d = 0; d < disturbances.size(); d++) {
      if (disturbanceActive[d]
          && disturbedServer[d] == s
          && disturbances.get(d).kind() == Disturbance.Kind.SLOWDOWN) {
        factor *= disturbances.get(d).factor();
      }
    }
    slowdown[s] = factor;
  }

  /** The server went down: its running batch and its queues are lost, their calls fail. */
  private void failEverythingOn(int s) {
    epoch[s]++;
    for (int i = 0; i < batchSize[s]; i++) {
      failLost(batch[s][i]);
    }
    batchSize[s] = 0;
    busy[s] = false;
    for (int v = 0; v < variants; v++) {
      int q = v * servers + s;
      while (queues.size(q) > 0) {
        failLost(queues.poll(q));
      }
    }
  }

  private void failLost(int slot) {
    if (requests.isOpen(slot)) {
      close(slot, ResultStatus.FAILED); // connection reset: the invoker sees it at once
    }
    requests.release(slot);
  }

  // ---------------------------------------------------------------- helpers

  private void pushSlot(long time, int type, int slot) {
    requests.retain(slot);
    events.push(time, ((long) slot << TYPE_BITS) | type);
  }

  private long requestKey(long index) {
    long k = RequestIds.mix(keySeed + index);
    return k == 0 ? 1 : k;
  }

  private static long seconds(double s) {
    return Math.round(s * 1e9);
  }

  /** Independent, reproducible seeds of a run's random streams. */
  private static long stream(long seed, int which) {
    return RequestIds.mix(seed * 0x9E3779B97F4A7C15L + which);
  }
}
