package io.surge.cli.demo;

import io.surge.cli.devices.FaultSwitch;
import io.surge.cli.learn.LearnerFeed;
import io.surge.cli.learn.ServerStatisticsFeed;
import io.surge.cli.publish.PolicyPublisher;
import io.surge.cli.publish.PublishTarget;
import io.surge.jobs.config.SurgeOptions;
import io.surge.jobs.kafka.Topics;
import io.surge.policy.onnx.ShippedPolicies;
import io.surge.sim.disturb.Disturbance;
import io.surge.sim.engine.Calibration;
import io.surge.state.EstimatorSettings;
import io.surge.state.catalog.Catalog;
import io.surge.train.online.CycleOutcome;
import io.surge.train.online.LearnerSettings;
import io.surge.train.online.OnlineLearner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;

/**
 * The drift scenario's learner ({@code surge demo --drift}): when the measured load starts it arms
 * the drift on the emulated servers and runs the online learner in-process against the run's
 * topics, exactly as {@code surge learn} would beside the job: it reads the job's {@code
 * experience} and {@code completions}, cycles every {@code every}, and publishes through {@link
 * PolicyPublisher} on the guard's yes, so the job swaps the policy while the load runs. Each
 * cycle's outcome is logged and kept with its time since the drift.
 */
final class DriftLearner implements PolicyRun.MeasureListener {

  /**
   * One cycle's outcome, {@code secondsAfterDrift} after the drift began when it ended (negative:
   * before), and when it started (its experience window is the 2 minutes before that).
   */
  record Cycle(double startedAfterDrift, double secondsAfterDrift, CycleOutcome outcome) {}

  private final FaultSwitch drift;
  private final String startPolicy;
  private final Catalog catalog;
  private final Calibration calibration;
  private final LearnerSettings learnerSettings;
  private final Duration every;
  private final Path out;
  private final String bootstrap;
  private final Consumer<String> log;
  private final List<Cycle> cycles = new ArrayList<>();
  private volatile boolean stopped;
  private Thread thread;
  private volatile Throwable failure;

  /**
   * @param startPolicy the job's policy when the load starts: {@code learned} or a policy model
   *     file; the learner continues from it
   */
  DriftLearner(
      FaultSwitch drift,
      String startPolicy,
      Catalog catalog,
      Calibration calibration,
      LearnerSettings learnerSettings,
      Duration every,
      Path out,
      String bootstrap,
      Consumer<String> log) {
    this.drift = drift;
    this.startPolicy = startPolicy;
    this.catalog = catalog;
    this.calibration = calibration;
    this.learnerSettings = learnerSettings;
    this.every = every;
    this.out = out;
    this.bootstrap = bootstrap;
    this.log = log;
  }

  /** When the drift begins, in seconds from the arm (the start of the measured load). */
  double driftAtSeconds() {
    return drift.spec().disturbances().stream()
        .mapToDouble(Disturbance::at)
        .min()
        .orElse(Double.NaN);
  }

  @Override
  public void started(Topics topics, Configuration jobConfig) {
    drift.arm();
    thread = new Thread(() -> learn(topics, jobConfig), "demo-drift-learner");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void ended() {
    stopped = true;
    Thread t = thread;
    if (t == null) {
      return;
    }
    try {
      // a cycle in progress is not interruptible: it ends within a few minutes, or is left behind
      t.join(Duration.ofMinutes(3).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      log.accept("  [drift] the learner's last cycle is still running; its outcome is not counted");
    }
  }

  /** The cycles so far, in order. */
  synchronized List<Cycle> cycles() {
    return List.copyOf(cycles);
  }

  Throwable failure() {
    return failure;
  }

  private void learn(Topics topics, Configuration jobConfig) {
    try {
      Files.createDirectories(out);
      Path start = out.resolve("running-start.onnx");
      Files.write(
          start,
          ShippedPolicies.LEARNED.equals(startPolicy)
              ? ShippedPolicies.read(ShippedPolicies.LEARNED)
              : Files.readAllBytes(Path.of(startPolicy)));
      Configuration publishConfig = new Configuration(jobConfig);
      publishConfig.set(SurgeOptions.INITIAL_POLICY, startPolicy);
      PolicyPublisher publisher =
          new PolicyPublisher(
              PublishTarget.of(catalog, publishConfig, bootstrap, new Properties()));
      String service = catalog.services().get(0).name();
      OnlineLearner learner =
          new OnlineLearner(
              catalog,
              service,
              calibration,
              EstimatorSettings.defaults()
                  .withHistoryLength(jobConfig.get(SurgeOptions.HISTORY_LENGTH)),
              learnerSettings,
              start,
              out,
              candidate -> publisher.publish(candidate, null, null).update().getVersion());
      try (LearnerFeed feed =
              new LearnerFeed(
                  bootstrap,
                  new Properties(),
                  topics.experience(),
                  topics.completions(),
                  topics.prefix() + "learn",
                  Duration.ofMinutes(2));
          ServerStatisticsFeed statistics =
              new ServerStatisticsFeed(catalog, ServerStatisticsFeed.EVERY)) {
        long next = System.nanoTime() + every.toNanos();
        while (!stopped) {
          boolean caughtUp = feed.pollInto(learner, Duration.ofMillis(200));
          statistics.pollInto(learner);
          if (System.nanoTime() < next || !caughtUp) {
            continue;
          }
          double started = drift.secondsSinceArmed() - driftAtSeconds();
          CycleOutcome outcome = learner.cycle();
          double after = drift.secondsSinceArmed() - driftAtSeconds();
          synchronized (this) {
            cycles.add(new Cycle(started, after, outcome));
          }
          log.accept(
              String.format(
                  Locale.ROOT,
                  "  [drift] %+.0f s from the drift: cycle %d %s: %s; live %s; trained %.0f s,"
                      + " judged %.0f s; servers: %s",
                  after,
                  learner.counters().cycles(),
                  outcome.status(),
                  outcome.reason(),
                  outcome.calibration(),
                  outcome.trainingSeconds(),
                  outcome.guardSeconds(),
                  statistics.describe()));
          next = System.nanoTime() + every.toNanos();
        }
      }
    } catch (IOException e) {
      failure = new UncheckedIOException(e);
      log.accept("  [drift] the learner stopped: " + e);
    } catch (RuntimeException e) {
      failure = e;
      log.accept("  [drift] the learner stopped: " + e);
    }
  }
}
