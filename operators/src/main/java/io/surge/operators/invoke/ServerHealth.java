package io.surge.operators.invoke;

import java.util.Map;

/**
 * Which inference servers are healthy, as the invoker's circuit breakers see them: the invoker's
 * metrics publish it per server. (The scheduler keeps its own view from completions, since it runs
 * in another operator.) Safe to read from any thread.
 */
public interface ServerHealth {

  /** False while the server's breaker is open or half-open; true for servers never called. */
  boolean isHealthy(String server);

  /** The health of every server called so far. */
  Map<String, Boolean> snapshot();

  /** Registers a listener for health changes; it runs on the thread that caused the change. */
  void addListener(HealthListener listener);
}
