package io.surge.train.online;

import io.surge.state.ObservationSpec;
import io.surge.train.ppo.LoggedTransitions;
import java.util.Comparator;
import java.util.List;

/**
 * The job's logged decisions of one service as PPO samples ({@link LoggedTransitions}): those of
 * the running policy's observation spec, ordered by decision time, with the rewards training uses
 * (a late or failed answer gets the late penalty, as in the simulator's training rewards) and, for
 * an asymmetric critic, the privileged features known in hindsight: the decisions made in the next
 * second (the simulator's "arrivals in the next second") and each server's live latency factor (its
 * slow-down). Decisions of the last {@link #TAIL_MILLIS} ms are no samples: their returns and
 * next-second counts are cut off by the window's end; they only complete the earlier returns.
 */
public final class LoggedExperience {

  /** Six discount horizons of 0.5 s: what a return still owes after them is below 0.3 %. */
  static final long TAIL_MILLIS = 3_000;

  private LoggedExperience() {}

  /**
   * @param spec the running policy's observation spec (decisions of another spec are left out)
   * @param slowdowns each server's live factor in the simulator's server order, appended after the
   *     next second's count; null: no privileged features
   * @param latePenalty the training reward of a late or failed request (not shed)
   */
  public static LoggedTransitions of(
      List<LoggedDecision> decisions,
      ObservationSpec spec,
      double[] slowdowns,
      double latePenalty) {
    int d = spec.dimension();
    int a = spec.actionCount();
    int shed = a - 1;
    List<LoggedDecision> usable =
        decisions.stream()
            .filter(x -> spec.hash().equals(x.specHash()) && usable(x, d, a))
            .sorted(Comparator.comparingLong(LoggedDecision::decidedAtMillis))
            .toList();
    int extra = slowdowns == null ? 0 : 1 + slowdowns.length;
    LoggedTransitions out = new LoggedTransitions(d + extra, a);
    if (usable.isEmpty()) {
      return out;
    }
    float[] observation = new float[d + extra];
    long end = usable.get(usable.size() - 1).decidedAtMillis();
    int samples = 0;
    int nextSecond = 0; // the first decision after the current one's next second
    for (int i = 0; i < usable.size(); i++) {
      LoggedDecision x = usable.get(i);
      System.arraycopy(x.observation(), 0, observation, 0, d);
      if (extra > 0) {
        nextSecond = Math.max(nextSecond, i + 1);
        while (nextSecond < usable.size()
            && usable.get(nextSecond).decidedAtMillis() <= x.decidedAtMillis() + 1_000) {
          nextSecond++;
        }
        observation[d] = nextSecond - i - 1;
        for (int s = 0; s < slowdowns.length; s++) {
          observation[d + 1 + s] = (float) slowdowns[s];
        }
      }
      boolean lateOrFailed = x.action() != shed && !(x.reward() > 0);
      out.add(
          observation,
          x.mask(),
          x.action(),
          x.probability(),
          lateOrFailed ? latePenalty : x.reward(),
          x.decidedAtMillis() * 1_000_000L);
      if (x.decidedAtMillis() <= end - TAIL_MILLIS) {
        samples = i + 1;
      }
    }
    return out.trainOnFirst(samples);
  }

  private static boolean usable(LoggedDecision x, int d, int a) {
    return x.observation().length == d
        && x.mask().length == a
        && x.action() >= 0
        && x.action() < a
        && x.mask()[x.action()] != 0
        && x.probability() > 0
        && x.probability() <= 1;
  }
}
