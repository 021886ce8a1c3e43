package io.surge.operators.invoke;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/** One {@link CircuitBreaker} per server, created on first use; the {@link ServerHealth} view. */
public final class ServerBreakers implements ServerHealth {

  private final BreakerSettings settings;
  private final LongSupplier clockMillis;
  private final ReadinessProbe probe;
  private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
  private final List<HealthListener> listeners = new CopyOnWriteArrayList<>();

  public ServerBreakers(BreakerSettings settings, LongSupplier clockMillis, ReadinessProbe probe) {
    this.settings = settings;
    this.clockMillis = clockMillis;
    this.probe = probe;
  }

  /** The server's breaker, created closed on first use. */
  public CircuitBreaker forServer(String server) {
    return breakers.computeIfAbsent(
        server, s -> new CircuitBreaker(s, settings, clockMillis, probe, this::notifyListeners));
  }

  /** Advances every breaker with the clock (starts due probes, expires overdue ones). */
  public void pollAll() {
    breakers.values().forEach(CircuitBreaker::poll);
  }

  @Override
  public boolean isHealthy(String server) {
    CircuitBreaker breaker = breakers.get(server);
    return breaker == null || breaker.isHealthy();
  }

  @Override
  public Map<String, Boolean> snapshot() {
    Map<String, Boolean> out = new TreeMap<>();
    breakers.forEach((server, breaker) -> out.put(server, breaker.isHealthy()));
    return Collections.unmodifiableMap(out);
  }

  @Override
  public void addListener(HealthListener listener) {
    listeners.add(listener);
  }

  private void notifyListeners(String server, boolean healthy) {
    for (HealthListener listener : listeners) {
      listener.onHealthChange(server, healthy);
    }
  }
}
