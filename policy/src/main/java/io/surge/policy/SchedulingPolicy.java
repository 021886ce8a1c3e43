package io.surge.policy;

/**
 * Chooses, for one request, a variant to serve it with or shed. Implementations allocate nothing
 * per call and are not thread-safe: one instance per operator subtask or simulator thread.
 *
 * <p>Actions: variants 0..V-1 in catalog order (increasing accuracy), shed = V (last). A masked
 * action ({@code mask[a] == 0}) is never returned; shed is always allowed.
 */
public interface SchedulingPolicy extends AutoCloseable {

  /**
   * @param observation the observation vector ({@link io.surge.state.ObservationSpec} layout)
   * @param mask 1 allowed, 0 not, length V + 1
   * @param requestSeed the request id's key ({@link io.surge.state.RequestIds#key}); policies that
   *     sample use it as their seed, so a replayed request gets the same action
   * @param context the workload state, slack and server health, for heuristics
   * @param out receives the action and its probability
   */
  void decide(
      float[] observation, float[] mask, long requestSeed, DecisionContext context, Decision out);

  /** A name for logs and reports, e.g. {@code greedy-slo}. */
  String name();

  /** The policy version recorded with every result; 0 for the built-in heuristics. */
  default long version() {
    return 0;
  }

  @Override
  default void close() {}
}
