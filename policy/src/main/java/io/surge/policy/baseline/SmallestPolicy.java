package io.surge.policy.baseline;

import io.surge.policy.Decision;
import io.surge.policy.DecisionContext;
import io.surge.policy.Masks;
import io.surge.policy.SchedulingPolicy;

/** Baseline: always the least accurate allowed variant; shed only when none is allowed. */
public final class SmallestPolicy implements SchedulingPolicy {

  public static final String NAME = "smallest";

  @Override
  public void decide(
      float[] observation, float[] mask, long requestSeed, DecisionContext context, Decision out) {
    int variants = mask.length - 1;
    int v = Masks.lowestAllowedAtOrAbove(mask, 0, variants);
    out.set(v < 0 ? variants : v, 1.0);
  }

  @Override
  public String name() {
    return NAME;
  }
}
