package io.surge.sim.env;

/**
 * The training environment (Flink-free): an episodic decision process over requests. Every step is
 * one request's decision; its reward (the accuracy of an on-time answer, 0 when late, failed or
 * shed, DESIGN.md section 1) becomes known only when the request completes, a few decisions later,
 * and is credited to that decision by its index through {@link EnvStep#credits()}.
 *
 * <p>Not thread-safe: one instance per thread. Deterministic for a seed.
 */
public interface SchedulingEnvironment {

  /** Length of the observation vector. */
  int observationSize();

  /** Actions: variants 0..V-1 in catalog order, shed = V. */
  int actionCount();

  /**
   * Starts an episode and runs it to its first decision.
   *
   * @return the pending decision (a holder the environment reuses until the next call)
   */
  EnvStep reset(long seed);

  /**
   * Applies {@code action} to the pending decision, with the probability the acting policy gave it
   * (logged, as the scheduler logs behaviour probabilities), then runs to the next decision. When
   * the episode ends ({@link EnvStep#done()}), every outstanding request has been completed and
   * credited.
   */
  EnvStep step(int action, double probability);
}
