package io.surge.train.ppo;

/**
 * How a {@link PpoTrainer#train} call ended.
 *
 * @param updates updates done in the call
 * @param environmentSteps environment steps taken in the call
 * @param elapsedSeconds wall time of the call
 * @param stoppedByWallClock true when the wall-clock cap ended it before the step budget (then, and
 *     only then, the result depends on the machine's speed)
 */
public record TrainingSummary(
    long updates, long environmentSteps, double elapsedSeconds, boolean stoppedByWallClock) {}
