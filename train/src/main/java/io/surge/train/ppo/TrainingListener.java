package io.surge.train.ppo;

/** Told after every PPO update, on the training thread (e.g. to draw a progress bar). */
@FunctionalInterface
public interface TrainingListener {

  TrainingListener NONE = report -> {};

  void onUpdate(UpdateReport report);
}
