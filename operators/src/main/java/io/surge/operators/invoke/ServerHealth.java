package io.surge.operators.invoke;

import java.util.Map;

/**
 * Which inference servers are healthy, as the invoker's circuit breakers see them. The scheduler's
 * router sends no work to an unhealthy server and its action mask drops variants no healthy server
 * hosts. Safe to read from any thread.
 */
public interface ServerHealth {

  /** False while the server's breaker is open or half-open; true for servers never called. */
  boolean isHealthy(String server);

  /** The health of every server called so far. */
  Map<String, Boolean> snapshot();

  /** Registers a listener for health changes; it runs on the thread that caused the change. */
  void addListener(HealthListener listener);
}
