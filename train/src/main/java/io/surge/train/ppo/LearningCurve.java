package io.surge.train.ppo;

import java.util.ArrayList;
import java.util.List;

/** Mean reward per decision against environment steps, one point per update, for plotting. */
public final class LearningCurve {

  /** The rollout that ended at {@code environmentSteps} earned {@code meanReward} per decision. */
  public record Point(long environmentSteps, double meanReward) {}

  private final List<Point> points = new ArrayList<>();

  void add(long environmentSteps, double meanReward) {
    points.add(new Point(environmentSteps, meanReward));
  }

  public List<Point> points() {
    return List.copyOf(points);
  }
}
