package io.surge.operators.invoke;

import java.util.concurrent.CompletableFuture;

/**
 * Asks whether an inference server is ready to serve (KServe v2 {@code GET /v2/health/ready}). A
 * half-open circuit breaker closes only when this answers {@code true}.
 */
@FunctionalInterface
public interface ReadinessProbe {

  /**
   * Completes with {@code true} when the server answered ready, {@code false} (or exceptionally)
   * otherwise. Must not block the calling thread.
   */
  CompletableFuture<Boolean> ready(String server);
}
