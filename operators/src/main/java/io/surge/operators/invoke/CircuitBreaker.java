package io.surge.operators.invoke;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The circuit breaker of one inference server; thread-safe, Flink-free, driven by an explicit
 * clock.
 *
 * <p>CLOSED: calls pass; it opens after {@code consecutiveFailures} failures in a row or when the
 * failure rate over the last {@code window} calls reaches {@code failureRate}. OPEN: calls are
 * refused; after {@code coolDown} it turns HALF_OPEN and asks the {@link ReadinessProbe}.
 * HALF_OPEN: calls are still refused; a ready answer closes it, anything else (or no answer within
 * {@code probeTimeout}) opens it for another cool-down. Outcomes of calls that were already in
 * flight when it opened are ignored: the probe decides when the server is back.
 */
public final class CircuitBreaker {

  /** The breaker's state. */
  public enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  private final String server;
  private final BreakerSettings settings;
  private final LongSupplier clockMillis;
  private final ReadinessProbe probe;
  private final HealthListener listener;

  private final boolean[] window;
  private int windowNext;
  private int windowCount;
  private int windowFailures;
  private int consecutiveFailures;

  private State state = State.CLOSED;

  /**
   * When the server last answered anything (a result, an error status, an overload answer), in any
   * state; {@link Long#MIN_VALUE} when never.
   */
  private long lastAnsweredAt = Long.MIN_VALUE;

  /**
   * When the first call after the last answer was let through: the start of the silence that counts
   * against the server; {@link Long#MIN_VALUE} while no call waits on an answer.
   */
  private long callingSince = Long.MIN_VALUE;

  private long openedAt;
  private long probeStartedAt;

  /** Identifies the current probe, so that the answer of an abandoned probe is ignored. */
  private long probeId;

  public CircuitBreaker(
      String server,
      BreakerSettings settings,
      LongSupplier clockMillis,
      ReadinessProbe probe,
      HealthListener listener) {
    this.server = server;
    this.settings = settings;
    this.clockMillis = clockMillis;
    this.probe = probe;
    this.listener = listener;
    this.window = new boolean[settings.window()];
  }

  public String server() {
    return server;
  }

  public synchronized State state() {
    return state;
  }

  /** True while calls may go to the server (CLOSED). */
  public boolean isHealthy() {
    return state() == State.CLOSED;
  }

  /**
   * Whether a call may go to the server now. Also advances the state with the clock, so a breaker
   * whose cool-down has passed starts its probe here.
   */
  public boolean tryAcquire() {
    poll();
    synchronized (this) {
      if (state != State.CLOSED) {
        return false;
      }
      if (callingSince == Long.MIN_VALUE) {
        callingSince = clockMillis.getAsLong();
      }
      return true;
    }
  }

  /**
   * Whether the server is known alive within the last {@code millis}: it answered anything then, or
   * it has been called without an answer for at most that long. Silence counts only while calls
   * wait on the server: a job's first burst (a start, a restore) meets cold servers, and a server
   * the scheduler routed around for a while is called again in a burst; each gets one window to
   * answer. A live server that is slow to accept a connection is busy, not gone.
   */
  public synchronized boolean aliveWithin(long millis) {
    long heard = Math.max(lastAnsweredAt, callingSince);
    return heard != Long.MIN_VALUE && clockMillis.getAsLong() - heard <= millis;
  }

  /**
   * Records an answer that says the server is up without being a success or a fault: an overload
   * answer (a queue timeout, a full queue) or a client error. The counters are left alone.
   */
  public synchronized void onAnswer() {
    heardNow();
  }

  private void heardNow() {
    lastAnsweredAt = clockMillis.getAsLong();
    callingSince = Long.MIN_VALUE;
  }

  /** Records a call the server answered. */
  public void onSuccess() {
    synchronized (this) {
      heardNow();
      if (state != State.CLOSED) {
        return;
      }
      consecutiveFailures = 0;
      record(false);
    }
  }

  /** Records a call the server failed (unreachable, 5xx, timeout when those count). */
  public void onFailure() {
    synchronized (this) {
      if (state != State.CLOSED) {
        return;
      }
      consecutiveFailures++;
      record(true);
      if (!shouldOpen()) {
        return;
      }
      open();
    }
    listener.onHealthChange(server, false);
  }

  /**
   * Advances the state with the clock: an open breaker past its cool-down turns half-open and
   * probes; a probe past its timeout counts as failed. Call it periodically: while the scheduler
   * routes around an open server, no call comes to trigger this.
   */
  public void poll() {
    long probeToStart;
    synchronized (this) {
      long now = clockMillis.getAsLong();
      if (state == State.HALF_OPEN && now - probeStartedAt >= settings.probeTimeout().toMillis()) {
        open();
        return;
      }
      if (state != State.OPEN || now - openedAt < settings.coolDown().toMillis()) {
        return;
      }
      state = State.HALF_OPEN;
      probeStartedAt = now;
      probeToStart = ++probeId;
    }
    startProbe(probeToStart);
  }

  private void startProbe(long id) {
    CompletableFuture<Boolean> answer;
    try {
      answer = probe.ready(server);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete(
        (ready, error) -> onProbeAnswer(id, error == null && Boolean.TRUE.equals(ready)));
  }

  private void onProbeAnswer(long id, boolean ready) {
    synchronized (this) {
      if (state != State.HALF_OPEN || id != probeId) {
        return;
      }
      if (!ready) {
        open();
        return;
      }
      close();
    }
    listener.onHealthChange(server, true);
  }

  private void record(boolean failed) {
    if (windowCount == window.length && window[windowNext]) {
      windowFailures--;
    }
    window[windowNext] = failed;
    if (failed) {
      windowFailures++;
    }
    windowNext = (windowNext + 1) % window.length;
    windowCount = Math.min(windowCount + 1, window.length);
  }

  private boolean shouldOpen() {
    if (consecutiveFailures >= settings.consecutiveFailures()) {
      return true;
    }
    return windowCount >= settings.minCallsInWindow()
        && windowFailures >= settings.failureRate() * windowCount;
  }

  private void open() {
    state = State.OPEN;
    openedAt = clockMillis.getAsLong();
  }

  private void close() {
    state = State.CLOSED;
    consecutiveFailures = 0;
    windowNext = 0;
    windowCount = 0;
    windowFailures = 0;
  }

  @Override
  public synchronized String toString() {
    return "CircuitBreaker[" + server + ": " + state + "]";
  }
}
