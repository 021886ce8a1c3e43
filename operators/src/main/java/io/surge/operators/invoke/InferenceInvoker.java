package io.surge.operators.invoke;

import io.surge.schema.Dispatch;
import io.surge.schema.InferenceResult;
import io.surge.state.RequestDeadline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the inference server a {@link Dispatch} names and emits exactly one {@link
 * InferenceResult}: OK (answered by {@code created_at + deadline_ms}), LATE (answered after it, or
 * no answer by it) or FAILED (server error, unreachable, circuit open). It never fails the job and
 * never drops a dispatch.
 *
 * <p>Each call gets the request's remaining slack as its timeout (at least {@code minCallTimeout}).
 * The operator's own timeout ({@code AsyncDataStream.unorderedWait(..., timeout, ...)}) is a
 * backstop that must exceed the largest deadline: {@link #timeout} turns it into a LATE result
 * instead of the default job failure. When the call and the backstop race, the first to finish wins
 * and the other is ignored.
 *
 * <p>Calls are at-least-once: after a restore Flink re-issues the dispatches that were in flight,
 * so downstream must be idempotent by request id.
 */
public class InferenceInvoker extends RichAsyncFunction<Dispatch, InferenceResult> {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(InferenceInvoker.class);

  private final InferenceCallFactory callFactory;
  private final InvokerSettings settings;
  private final Clock clock;

  private transient InferenceCall call;
  private transient ServerBreakers breakers;
  private transient InvokerMetrics metrics;
  private transient Set<String> serversWithMetrics;
  private transient Map<ResultFuture<InferenceResult>, Attempt> inFlight;
  private transient ScheduledExecutorService healthPoller;

  public InferenceInvoker(InferenceCallFactory callFactory, InvokerSettings settings) {
    this(callFactory, settings, Clock.systemUTC());
  }

  /** With an explicit clock for deadlines and breakers (tests); it must be serializable. */
  public InferenceInvoker(InferenceCallFactory callFactory, InvokerSettings settings, Clock clock) {
    this.callFactory = callFactory;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    call = callFactory.create();
    inFlight = Collections.synchronizedMap(new IdentityHashMap<>());
    serversWithMetrics = ConcurrentHashMap.newKeySet();
    breakers = new ServerBreakers(settings.breaker(), clock::millis, call);
    metrics = new InvokerMetrics(getRuntimeContext().getMetricGroup(), inFlight::size);
    breakers.addListener(this::logHealthChange);
    startHealthPoller();
  }

  @Override
  public void close() throws Exception {
    if (healthPoller != null) {
      healthPoller.shutdownNow();
    }
    if (call != null) {
      call.close();
    }
  }

  /**
   * The servers' health as this instance's breakers see it: what the tests assert breakers on (the
   * scheduler keeps its own view, from completions).
   */
  public ServerHealth serverHealth() {
    if (breakers == null) {
      throw new IllegalStateException("the invoker is not open");
    }
    return breakers;
  }

  @Override
  public void asyncInvoke(Dispatch dispatch, ResultFuture<InferenceResult> resultFuture) {
    Attempt attempt = new Attempt(dispatch, resultFuture);
    Integer deadlineMs = dispatch.getRequest().getDeadlineMs();
    if (deadlineMs == null || deadlineMs <= 0) {
      finish(attempt, CallOutcome.refused("dispatch has no positive deadline_ms: " + deadlineMs));
      return;
    }
    CircuitBreaker breaker = breakerOf(dispatch.getServer());
    if (!breaker.tryAcquire()) {
      metrics.onCircuitOpenRefusal();
      finish(attempt, CallOutcome.refused("circuit open for server " + dispatch.getServer()));
      return;
    }
    inFlight.put(resultFuture, attempt);
    CompletableFuture<CallAnswer> answer = startCall(dispatch, callTimeout(dispatch));
    attempt.call = answer;
    answer.whenComplete((a, error) -> onCallDone(attempt, breaker, a, error));
  }

  /**
   * The operator's backstop timeout: LATE if the deadline has passed, otherwise FAILED (the
   * operator timeout is set below the request's deadline, a configuration error worth seeing).
   */
  @Override
  public void timeout(Dispatch dispatch, ResultFuture<InferenceResult> resultFuture) {
    Attempt attempt = inFlight.get(resultFuture);
    if (attempt == null) {
      attempt = new Attempt(dispatch, resultFuture);
    }
    double pastDeadline = RequestDeadline.millisPast(dispatch.getRequest(), clock.instant());
    CallOutcome outcome =
        pastDeadline >= 0
            ? CallOutcome.timedOut(
                "no answer from " + dispatch.getServer() + " by the async operator timeout",
                settings.timeoutsTripBreaker())
            : CallOutcome.refused(
                "async operator timeout fired "
                    + String.format("%.1f", -pastDeadline)
                    + " ms before the deadline: raise it above the largest deadline");
    if (!finish(attempt, outcome)) {
      return;
    }
    if (attempt.call != null) {
      attempt.call.cancel(false);
    }
    recordVerdict(breakerOf(dispatch.getServer()), outcome);
  }

  private CompletableFuture<CallAnswer> startCall(Dispatch dispatch, Duration timeout) {
    try {
      CompletableFuture<CallAnswer> answer = call.infer(dispatch, timeout);
      if (answer == null) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("the inference call returned no future"));
      }
      return answer;
    } catch (RuntimeException e) {
      // a call that throws instead of failing its future must not fail the job
      return CompletableFuture.failedFuture(e);
    }
  }

  private void onCallDone(Attempt attempt, CircuitBreaker breaker, CallAnswer a, Throwable error) {
    Instant now = clock.instant();
    CallOutcome outcome =
        error == null
            ? CallOutcome.answered(
                a == null ? CallAnswer.empty() : a,
                RequestDeadline.millisPast(attempt.dispatch.getRequest(), now))
            : CallOutcome.ofFailure(
                error,
                attempt.dispatch.getServer(),
                settings.timeoutsTripBreaker(),
                breaker.aliveWithin(settings.recentAnswerWindow().toMillis()));
    if (finish(attempt, outcome, now)) {
      recordVerdict(breaker, outcome);
    }
  }

  /** The remaining slack, at least the configured floor. */
  Duration callTimeout(Dispatch dispatch) {
    double slackMs = -RequestDeadline.millisPast(dispatch.getRequest(), clock.instant());
    long floorMs = settings.minCallTimeout().toMillis();
    return Duration.ofMillis(Math.max(floorMs, (long) Math.floor(slackMs)));
  }

  private boolean finish(Attempt attempt, CallOutcome outcome) {
    return finish(attempt, outcome, clock.instant());
  }

  /** Completes the attempt's result future unless it is already complete; true if this did. */
  private boolean finish(Attempt attempt, CallOutcome outcome, Instant completedAt) {
    if (!attempt.finished.compareAndSet(false, true)) {
      return false;
    }
    inFlight.remove(attempt.resultFuture);
    InferenceResult result = InferenceResults.of(attempt.dispatch, outcome, completedAt, settings);
    metrics.onResult(result);
    attempt.resultFuture.complete(List.of(result));
    return true;
  }

  private static void recordVerdict(CircuitBreaker breaker, CallOutcome outcome) {
    switch (outcome.verdict()) {
      case SUCCESS -> breaker.onSuccess();
      case ANSWERED -> breaker.onAnswer();
      case ANSWERED_FAILURE -> {
        breaker.onAnswer();
        breaker.onFailure();
      }
      case FAILURE -> breaker.onFailure();
      case NEUTRAL -> {
        // says nothing about the server
      }
    }
  }

  private CircuitBreaker breakerOf(String server) {
    CircuitBreaker breaker = breakers.forServer(server);
    if (serversWithMetrics.add(server)) {
      metrics.registerServer(server, breakers, breaker);
    }
    return breaker;
  }

  private void logHealthChange(String server, boolean healthy) {
    metrics.onHealthChange();
    if (healthy) {
      LOG.info("server {} is ready again: circuit closed", server);
    } else {
      LOG.warn("server {} is failing: circuit open, its dispatches fail fast", server);
    }
  }

  private void startHealthPoller() {
    long periodMs = settings.healthPollInterval().toMillis();
    if (periodMs <= 0) {
      return;
    }
    healthPoller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "surge-invoker-health");
              t.setDaemon(true);
              return t;
            });
    healthPoller.scheduleWithFixedDelay(
        this::pollBreakers, periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  private void pollBreakers() {
    try {
      breakers.pollAll();
    } catch (RuntimeException e) {
      // a failing probe must not kill the poller
      LOG.warn("polling the circuit breakers failed", e);
    }
  }

  /** One dispatch's call in flight; finished at most once, by the call or by the timeout. */
  private static final class Attempt {
    final Dispatch dispatch;
    final ResultFuture<InferenceResult> resultFuture;
    final AtomicBoolean finished = new AtomicBoolean();
    volatile CompletableFuture<CallAnswer> call;

    Attempt(Dispatch dispatch, ResultFuture<InferenceResult> resultFuture) {
      this.dispatch = dispatch;
      this.resultFuture = resultFuture;
    }
  }
}
