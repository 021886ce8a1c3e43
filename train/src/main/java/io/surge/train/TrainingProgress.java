package io.surge.train;

import io.surge.train.ppo.UpdateReport;

/**
 * Progress after one PPO update.
 *
 * @param update the trainer's report (steps, mean reward per decision, losses)
 * @param effectiveAccuracy mean reward per request completed since the previous update, a fraction
 *     (accuracy if on time, 0 if late, failed or shed); NaN when none completed
 */
public record TrainingProgress(UpdateReport update, double effectiveAccuracy) {}
