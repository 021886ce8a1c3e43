package io.surge.train.online;

import io.surge.train.eval.MeanInterval;
import java.util.Locale;

/**
 * The guard's answer for one candidate.
 *
 * @param publish whether the candidate may replace the running policy
 * @param running the running policy's mean effective accuracy (0-1) over the guard's seeds
 * @param candidate the candidate's
 * @param difference candidate minus running per seed (common random numbers), mean and 95 % CI
 * @param reason one line saying why, for the trainer's log and the rejected-candidate metric
 */
public record GuardVerdict(
    boolean publish, double running, double candidate, MeanInterval difference, String reason) {

  static GuardVerdict of(double running, double candidate, MeanInterval difference, double margin) {
    String figures =
        String.format(
            Locale.ROOT,
            "candidate %.2f %% vs running %.2f %%, difference %+.2f ± %.2f pp",
            100 * candidate,
            100 * running,
            100 * difference.mean(),
            100 * difference.ci95());
    if (!(difference.mean() > 0)) {
      return new GuardVerdict(false, running, candidate, difference, "not better: " + figures);
    }
    if (!(difference.lower() >= -margin)) {
      return new GuardVerdict(
          false,
          running,
          candidate,
          difference,
          String.format(
              Locale.ROOT, "may be worse (CI reaches below -%.2f pp): %s", 100 * margin, figures));
    }
    return new GuardVerdict(true, running, candidate, difference, "no worse: " + figures);
  }
}
