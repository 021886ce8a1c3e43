package io.surge.sim.engine;

/**
 * Rewards of the outcomes other than OK (an OK request earns its variant's accuracy, DESIGN.md
 * section 1): 0 by default, or a penalty.
 */
public record RewardSettings(double shedReward, double lateReward, double failedReward) {

  public static RewardSettings defaults() {
    return new RewardSettings(0, 0, 0);
  }
}
