package io.surge.train;

import io.surge.sim.env.EdgeServingEnvironment;
import io.surge.state.metrics.Scoreboard;
import java.util.List;

/**
 * Effective accuracy of the requests the training environments completed between two reads, from
 * their episodes' scoreboards. Read only between updates, when no rollout runs.
 */
final class EffectiveAccuracyMeter {

  private final List<EdgeServingEnvironment> environments;
  private final Scoreboard[] seen;
  private final long[] seenRequests;
  private final double[] seenRewards;

  EffectiveAccuracyMeter(List<EdgeServingEnvironment> environments) {
    this.environments = environments;
    this.seen = new Scoreboard[environments.size()];
    this.seenRequests = new long[environments.size()];
    this.seenRewards = new double[environments.size()];
  }

  /** A fraction; NaN when no request completed since the last read. */
  double sinceLastRead() {
    long requests = 0;
    double rewards = 0;
    for (int i = 0; i < environments.size(); i++) {
      Scoreboard board = environments.get(i).simulator().scoreboard();
      if (board == null) {
        continue;
      }
      long n = board.requests();
      double sum = n == 0 ? 0 : board.summary().effectiveAccuracy() * n;
      if (board != seen[i]) {
        // a new episode started: what the last one completed after the previous read is lost
        seen[i] = board;
        seenRequests[i] = 0;
        seenRewards[i] = 0;
      }
      requests += n - seenRequests[i];
      rewards += sum - seenRewards[i];
      seenRequests[i] = n;
      seenRewards[i] = sum;
    }
    // catalog accuracies are percentages
    return requests == 0 ? Double.NaN : rewards / requests / 100;
  }
}
