package io.surge.train;

import io.surge.train.export.PolicyModelReader;

/**
 * Where a training run starts instead of a uniform policy: an exported policy's actor and its
 * observation normalisation, kept for good, and a fresh critic trained alone for {@code
 * criticSteps} first (its advantages would be noise, and PPO steps on noise undo what the actor
 * knows).
 *
 * @param actor the policy to continue from; its observation spec must be the plan's
 * @param criticSteps environment steps that train only the critic before the actor moves
 */
public record WarmStart(PolicyModelReader.Actor actor, long criticSteps) {

  public WarmStart {
    if (criticSteps < 0) {
      throw new IllegalArgumentException("critic steps must be >= 0: " + criticSteps);
    }
  }
}
