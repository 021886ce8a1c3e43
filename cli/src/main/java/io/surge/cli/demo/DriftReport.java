package io.surge.cli.demo;

import io.surge.schema.ResultStatus;
import io.surge.train.online.CycleOutcome;
import io.surge.train.online.OnlineLearner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * What the drift scenario showed: the learner's cycles with their times from the drift, the time to
 * the first published policy (and to the first trained on a window entirely after the drift), and
 * per phase (before the drift, after it with the shipped policy, then each published version) the
 * share of requests answered on time and their effective accuracy. Logged and written to {@code
 * drift.md}.
 */
final class DriftReport {

  /** The learner's experience window: a cycle started this long after the drift saw only it. */
  private static final double WINDOW_SECONDS = OnlineLearner.WINDOW_MILLIS / 1000.0;

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
    md.append("| from the drift (start → end) | cycle | outcome |\n|---|---|---|\n");
    double firstPublish = Double.NaN;
    double firstAfterWindow = Double.NaN;
    List<Double> publishes = new ArrayList<>();
    List<Long> versions = new ArrayList<>();
    for (int i = 0; i < cycles.size(); i++) {
      DriftLearner.Cycle c = cycles.get(i);
      if (c.outcome().status() == CycleOutcome.Status.PUBLISHED) {
        publishes.add(c.secondsAfterDrift());
        versions.add(c.outcome().publishedVersion());
        if (Double.isNaN(firstPublish)) {
          firstPublish = c.secondsAfterDrift();
        }
        if (Double.isNaN(firstAfterWindow) && c.startedAfterDrift() >= WINDOW_SECONDS) {
          firstAfterWindow = c.secondsAfterDrift();
        }
      }
      md.append(
          String.format(
              Locale.ROOT,
              "| %+.0f → %+.0f s | %d | %s: %s |%n",
              c.startedAfterDrift(),
              c.secondsAfterDrift(),
              i + 1,
              c.outcome().status(),
              c.outcome().reason().replace("|", "/")));
    }
    Timeline timeline = result.timeline();
    int end = timeline.seconds();
    int drifted = (int) Math.min(end, Math.max(0, Math.round(driftAt)));
    String headline =
        Double.isNaN(firstPublish)
            ? String.format(
                Locale.ROOT,
                "no policy was published in the %d s after the drift (%d cycles)",
                Math.max(0, end - drifted),
                cycles.size())
            : String.format(
                Locale.ROOT,
                "a policy was published %.0f s after the drift (goal: 300 s); the first trained on"
                    + " a window entirely after it: %s",
                firstPublish,
                Double.isNaN(firstAfterWindow)
                    ? "none"
                    : String.format(Locale.ROOT, "%.0f s after the drift", firstAfterWindow));
    md.append('\n').append(headline).append(".\n\n");
    md.append(
        "| phase | seconds of the load | requests | answered on time | effective accuracy |\n"
            + "|---|---|---:|---:|---:|\n");
    List<String> phases = new ArrayList<>();
    phases.add(phase(md, timeline, "before the drift (shipped policy)", 0, drifted));
    int from = drifted;
    String running = "after the drift, shipped policy";
    for (int i = 0; i < publishes.size(); i++) {
      int at = (int) Math.min(end, Math.max(from, Math.round(driftAt + publishes.get(i))));
      phases.add(phase(md, timeline, running, from, at));
      from = at;
      running = "published v" + versions.get(i);
    }
    phases.add(phase(md, timeline, running, from, end));
    log.accept("");
    log.accept("drift: " + headline);
    phases.forEach(line -> log.accept("drift: " + line));
    if (learner.failure() != null) {
      md.append("\nThe learner stopped with ").append(learner.failure()).append(".\n");
    }
    Path file = out.resolve("drift.md");
    try {
      Files.writeString(file, md);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    log.accept("drift: " + file);
  }

  /**
   * The requests created in seconds [from, to): the share answered on time and their effective
   * accuracy (the on-time answers' accuracy over all of them), as a table row and a log line.
   */
  private static String phase(StringBuilder md, Timeline timeline, String name, int from, int to) {
    long arrivals = 0;
    long ok = 0;
    double accuracy = 0;
    for (int s = from; s < to; s++) {
      arrivals += timeline.arrivals(s);
      ok += timeline.count(s, ResultStatus.OK);
      accuracy += timeline.onTimeAccuracy(s);
    }
    String onTime =
        arrivals == 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", 100.0 * ok / arrivals);
    String effective =
        arrivals == 0 ? "-" : String.format(Locale.ROOT, "%.2f %%", accuracy / arrivals);
    md.append(
        String.format(
            Locale.ROOT,
            "| %s | %d-%d | %d | %s | %s |%n",
            name,
            from,
            to,
            arrivals,
            onTime,
            effective));
    return String.format(
        Locale.ROOT,
        "%s (s %d-%d): %d requests, %s on time, effective accuracy %s",
        name,
        from,
        to,
        arrivals,
        onTime,
        effective);
  }
}
