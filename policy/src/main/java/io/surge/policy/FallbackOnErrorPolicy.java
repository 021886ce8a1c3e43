package io.surge.policy;

/**
 * A learned policy guarded by a heuristic: if the learned policy fails on a request (an ONNX
 * Runtime error), that request is decided by the fallback instead of failing the caller. The
 * decision's version stays the learned one's; {@link #failures()} counts how often it fell back.
 */
public final class FallbackOnErrorPolicy implements SchedulingPolicy {

  private final SchedulingPolicy primary;
  private final SchedulingPolicy fallback;
  private long failures;
  private RuntimeException lastFailure;

  public FallbackOnErrorPolicy(SchedulingPolicy primary, SchedulingPolicy fallback) {
    this.primary = primary;
    this.fallback = fallback;
  }

  @Override
  public void decide(
      float[] observation, float[] mask, long requestSeed, DecisionContext context, Decision out) {
    try {
      primary.decide(observation, mask, requestSeed, context, out);
    } catch (RuntimeException e) {
      failures++;
      lastFailure = e;
      fallback.decide(observation, mask, requestSeed, context, out);
    }
  }

  /** Requests the fallback decided because the primary failed. */
  public long failures() {
    return failures;
  }

  /** The latest failure of the primary, or null. */
  public RuntimeException lastFailure() {
    return lastFailure;
  }

  @Override
  public String name() {
    return primary.name();
  }

  @Override
  public long version() {
    return primary.version();
  }

  /** Closes the primary only: the fallback belongs to the caller. */
  @Override
  public void close() {
    primary.close();
  }
}
