package io.surge.operators.scheduler;

/**
 * The scheduler's own view of server health, learnt from completions: after {@code failuresToTrip}
 * consecutive FAILED completions a server is masked out for {@code coolDownMillis}, then tried
 * again. Soft state per subtask (not checkpointed): it is relearnt within a few requests. The
 * invoker's circuit breaker protects the calls; this keeps the policy from choosing variants that
 * only a broken server hosts.
 */
final class ServerHealthView {

  private final int failuresToTrip;
  private final long coolDownMillis;
  private final int[] consecutiveFailures;
  private final long[] unhealthyUntil;

  ServerHealthView(int servers, int failuresToTrip, long coolDownMillis) {
    this.failuresToTrip = failuresToTrip;
    this.coolDownMillis = coolDownMillis;
    this.consecutiveFailures = new int[servers];
    this.unhealthyUntil = new long[servers];
  }

  void onCompletion(int server, boolean failed, long nowMillis) {
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
  long healthyMask(long nowMillis) {
    long mask = 0;
    for (int s = 0; s < unhealthyUntil.length; s++) {
      if (nowMillis >= unhealthyUntil[s]) {
        mask |= 1L << s;
      }
    }
    return mask;
  }
}
