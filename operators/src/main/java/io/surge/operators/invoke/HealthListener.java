package io.surge.operators.invoke;

/** Told when a server becomes unhealthy (its breaker opened) or healthy again (it closed). */
@FunctionalInterface
public interface HealthListener {

  void onHealthChange(String server, boolean healthy);
}
