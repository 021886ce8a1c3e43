package io.surge.serving.profile;

import io.surge.serving.engine.ModelStatistics;
import java.util.ArrayList;
import java.util.List;

/**
 * Mean execution times per model and batch size from two reads of a server's statistics: for {@code
 * surge profile}, and for the online learner's live calibration ({@code cli/learn}).
 */
public final class ServerTimes {

  record Key(String model, int batch) {}

  private ServerTimes() {}

  /** Every model and batch size the later read lists that ran between the two reads. */
  public static List<Profiler.ServerCompute> between(
      List<ModelStatistics> before, List<ModelStatistics> after) {
    List<Key> keys = new ArrayList<>();
    for (ModelStatistics s : after) {
      for (ModelStatistics.BatchStat b : s.batchStats()) {
        keys.add(new Key(s.name(), b.batchSize()));
      }
    }
    return between(before, after, keys);
  }

  static List<Profiler.ServerCompute> between(
      List<ModelStatistics> before, List<ModelStatistics> after, List<Key> keys) {
    List<Profiler.ServerCompute> out = new ArrayList<>();
    if (before.isEmpty() || after.isEmpty()) {
      return out;
    }
    for (Key key : keys) {
      long[] b = totals(before, key);
      long[] a = totals(after, key);
      long executions = a[0] - b[0];
      if (executions > 0) {
        out.add(
            new Profiler.ServerCompute(
                key.model(), key.batch(), (a[1] - b[1]) / 1e6 / executions, executions));
      }
    }
    return out;
  }

  /** Executions and their compute nanoseconds (input + infer + output) at one batch size. */
  private static long[] totals(List<ModelStatistics> stats, Key key) {
    for (ModelStatistics s : stats) {
      if (!s.name().equals(key.model())) {
        continue;
      }
      for (ModelStatistics.BatchStat b : s.batchStats()) {
        if (b.batchSize() == key.batch()) {
          long ns = b.computeInput().ns() + b.computeInfer().ns() + b.computeOutput().ns();
          return new long[] {b.computeInfer().count(), ns};
        }
      }
    }
    return new long[] {0, 0};
  }
}
