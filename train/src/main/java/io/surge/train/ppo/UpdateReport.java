package io.surge.train.ppo;

/**
 * Progress after one PPO update.
 *
 * @param updates updates done so far
 * @param environmentSteps environment steps taken so far
 * @param stepBudget steps this training run is asked to take (for a progress bar)
 * @param meanRewardPerDecision mean reward of the update's rollout decisions
 * @param entropy mean policy entropy (nats) over the update's samples
 * @param policyLoss mean clipped-surrogate loss
 * @param valueLoss mean {@code 0.5 (V - R)^2}
 * @param approximateKl mean {@code (r - 1) - log r}, how far the update moved the policy
 * @param clipFraction share of samples whose ratio left {@code [1 - eps, 1 + eps]}
 * @param elapsedSeconds wall time since training started
 */
public record UpdateReport(
    long updates,
    long environmentSteps,
    long stepBudget,
    double meanRewardPerDecision,
    double entropy,
    double policyLoss,
    double valueLoss,
    double approximateKl,
    double clipFraction,
    double elapsedSeconds) {}
