package io.surge.state;

/**
 * The scheduler's own view of server health, learnt from completions: after {@code failuresToTrip}
 * consecutive FAILED completions a server is masked out for {@code coolDownMillis}, then tried
 * again. Soft state per subtask (not checkpointed): it is relearnt within a few requests. The
 * invoker's circuit breaker protects the calls; this keeps the policy from choosing variants that
 * only a broken server hosts. Shared by the Flink scheduler and the simulator, so both notice a
 * broken server after the same evidence.
 */
public final class ServerHealthView {

  /** The scheduler's setting: five consecutive failures mask a server for two seconds. */
  public static final int DEFAULT_FAILURES_TO_TRIP = 5;

  public static final long DEFAULT_COOL_DOWN_MILLIS = 2_000;

  private final int failuresToTrip;
  private final long coolDownMillis;
  private final int[] consecutiveFailures;
  private final long[] unhealthyUntil;

  public ServerHealthView(int servers, int failuresToTrip, long coolDownMillis) {
    this.failuresToTrip = failuresToTrip;
    this.coolDownMillis = coolDownMillis;
    this.consecutiveFailures = new int[servers];
    this.unhealthyUntil = new long[servers];
  }

  public void onCompletion(int server, boolean failed, long nowMillis) {
    if (!failed) {
      consecutiveFailures[server] = 0;
      return;
    }
    if (++consecutiveFailures[server] >= failuresToTrip) {
      unhealthyUntil[server] = nowMillis + coolDownMillis;
      consecutiveFailures[server] = 0;
    }
  }

  /** Bit s set when server s is considered healthy at {@code nowMillis}. */
  public long healthyMask(long nowMillis) {
    long mask = 0;
    for (int s = 0; s < unhealthyUntil.length; s++) {
      if (nowMillis >= unhealthyUntil[s]) {
        mask |= 1L << s;
      }
    }
    return mask;
  }
}
