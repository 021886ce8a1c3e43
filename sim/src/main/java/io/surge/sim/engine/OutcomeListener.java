package io.surge.sim.engine;

import io.surge.schema.ResultStatus;

/**
 * Hears every request's outcome once, when the scheduler learns it (a shed at the decision, any
 * other outcome when its completion comes back through the loop).
 */
@FunctionalInterface
public interface OutcomeListener {

  OutcomeListener NONE = (decision, outcome, variant, reward, latencyMs, nowNanos) -> {};

  /**
   * @param decision the request's decision index in the run (0, 1, ...)
   * @param variant the variant that served it, -1 when shed
   * @param latencyMs from creation to its result
   * @param nowNanos simulated time the scheduler learns it
   */
  void onOutcome(
      long decision,
      ResultStatus outcome,
      int variant,
      double reward,
      double latencyMs,
      long nowNanos);
}
