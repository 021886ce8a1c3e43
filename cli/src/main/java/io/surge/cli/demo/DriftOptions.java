package io.surge.cli.demo;

import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.train.online.LearnerSettings;
import java.time.Duration;

/**
 * {@code surge demo --drift}: the disturbance that begins mid-run on the emulated servers (times
 * from the start of the measured load; without {@code for=} it lasts for good), how often the
 * online learner cycles, and its settings.
 */
public record DriftOptions(DisturbanceSpec spec, Duration every, LearnerSettings learner) {

  public DriftOptions {
    if (spec == null || spec.isEmpty()) {
      throw new IllegalArgumentException("--drift needs a disturbance, e.g. " + example());
    }
    if (every == null || every.toMillis() < 1000) {
      throw new IllegalArgumentException("the learner's cycle must be at least 1 s: " + every);
    }
  }

  public static String example() {
    return "slowdown:server=1,factor=3,at=60";
  }
}
