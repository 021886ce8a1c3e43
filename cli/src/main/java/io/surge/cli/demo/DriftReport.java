package io.surge.cli.demo;

import io.surge.schema.ResultStatus;
import io.surge.train.online.CycleOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * What the drift scenario showed: the learner's cycles with their times from the drift, the time to
 * the first published policy, and the share of requests answered on time before the drift, after it
 * until the first publish, and after that. Logged and written to {@code drift.md}.
 */
final class DriftReport {

  private DriftReport() {}

  static void write(
      Path out, DriftOptions drift, DriftLearner learner, PolicyResult result, Consumer<String> log)
      throws IOException {
    double driftAt = learner.driftAtSeconds();
    List<DriftLearner.Cycle> cycles = learner.cycles();
    StringBuilder md = new StringBuilder("# Drift scenario (`surge demo --drift`)\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Drift `%s` (from the start of the measured load), the shipped policy at first, the"
                + " online learner cycling every %d s.%n%n",
            drift.spec().toSpec(),
            drift.every().toSeconds()));
    md.append("| from the drift | cycle | outcome |\n|---|---|---|\n");
    double firstPublish = Double.NaN;
    for (int i = 0; i < cycles.size(); i++) {
      DriftLearner.Cycle c = cycles.get(i);
      if (c.outcome().status() == CycleOutcome.Status.PUBLISHED && Double.isNaN(firstPublish)) {
        firstPublish = c.secondsAfterDrift();
      }
      md.append(
          String.format(
              Locale.ROOT,
              "| %+.0f s | %d | %s: %s |%n",
              c.secondsAfterDrift(),
              i + 1,
              c.outcome().status(),
              c.outcome().reason().replace("|", "/")));
    }
    int end = result.timeline().seconds();
    int drifted = (int) Math.min(end, Math.max(0, Math.round(driftAt)));
    int published =
        Double.isNaN(firstPublish) ? end : (int) Math.min(end, Math.round(driftAt + firstPublish));
    String before = onTime(result.timeline(), 0, drifted);
    String after = onTime(result.timeline(), drifted, published);
    String recovered = Double.isNaN(firstPublish) ? "-" : onTime(result.timeline(), published, end);
    String headline =
        Double.isNaN(firstPublish)
            ? String.format(
                Locale.ROOT,
                "no policy was published in the %d s after the drift (%d cycles)",
                Math.max(0, end - drifted),
                cycles.size())
            : String.format(
                Locale.ROOT,
                "a policy was published %.0f s after the drift (goal: 300 s)",
                firstPublish);
    String phases =
        String.format(
            Locale.ROOT,
            "requests answered on time: before the drift %s, after it %s, after the publish %s",
            before,
            after,
            recovered);
    md.append('\n').append(headline).append(".\n\n").append(phases).append(".\n");
    if (learner.failure() != null) {
      md.append("\nThe learner stopped with ").append(learner.failure()).append(".\n");
    }
    log.accept("");
    log.accept("drift: " + headline);
    log.accept("drift: " + phases);
    Path file = out.resolve("drift.md");
    try {
      Files.writeString(file, md);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    log.accept("drift: " + file);
  }

  /** The share of requests created in seconds [from, to) that were answered on time. */
  private static String onTime(Timeline timeline, int from, int to) {
    long arrivals = 0;
    long ok = 0;
    for (int s = from; s < to; s++) {
      arrivals += timeline.arrivals(s);
      ok += timeline.count(s, ResultStatus.OK);
    }
    return arrivals == 0
        ? "-"
        : String.format(
            Locale.ROOT, "%.1f %% of %d (s %d-%d)", 100.0 * ok / arrivals, arrivals, from, to);
  }
}
