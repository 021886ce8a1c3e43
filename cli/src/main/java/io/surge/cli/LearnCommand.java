package io.surge.cli;

import io.surge.cli.learn.LearnerFeed;
import io.surge.cli.learn.RunningPolicy;
import io.surge.cli.learn.ServerStatisticsFeed;
import io.surge.cli.publish.PolicyPublisher;
import io.surge.cli.publish.PublishTarget;
import io.surge.cli.publish.PublishedPolicy;
import io.surge.jobs.config.JobConfig;
import io.surge.jobs.config.SurgeOptions;
import io.surge.jobs.kafka.Topics;
import io.surge.policy.onnx.OnnxPolicy;
import io.surge.sim.engine.Calibration;
import io.surge.state.EstimatorSettings;
import io.surge.state.catalog.Catalog;
import io.surge.train.online.CycleOutcome;
import io.surge.train.online.LearnerSettings;
import io.surge.train.online.OnlineLearner;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code surge learn}: the online trainer, a process beside the job (DESIGN.md section 10). It
 * reads the job's experience and completions, keeps a live calibration, and every {@code --every}
 * seconds fine-tunes the running policy in the simulator calibrated by it, asks the guard, and
 * publishes only a candidate the guard lets through; each cycle is one log line with the counters.
 */
@Command(
    name = "learn",
    mixinStandardHelpOptions = true,
    description = {
      "Learn online from the job's experience: fine-tune the running policy in the simulator"
          + " calibrated by what the job observes, and publish a candidate only when the guard"
          + " finds it no worse there."
    })
final class LearnCommand implements Callable<Integer> {

  /** PPO passes on the logged decisions per cycle when the job samples its decisions. */
  static final int LOGGED_EPOCHS_WHEN_SAMPLED = 2;

  @Mixin KafkaClientOptions kafka = new KafkaClientOptions();

  @Mixin PolicyTargetOptions target = new PolicyTargetOptions();

  @Option(
      names = "--running",
      required = true,
      description = "The policy model the job runs now (the learner fine-tunes it)")
  Path running;

  @Option(
      names = "--calibration",
      description = "The calibration the live latency factors apply to (default: the shipped one)")
  Path calibration;

  @Option(
      names = "--every",
      defaultValue = "60",
      description = "Seconds between learning cycles (default: ${DEFAULT-VALUE})")
  double everySeconds;

  @Option(names = "--steps", description = "PPO simulator steps per candidate (default: 65536)")
  Long steps;

  @Option(
      names = "--critic-steps",
      description = "Critic-only simulator steps before them (default: 65536)")
  Long criticSteps;

  @Option(
      names = "--min-decisions",
      description = "Decisions in the window before a cycle trains (default: 2000)")
  Integer minDecisions;

  @Option(names = "--guard-seeds", description = "Guard scenarios per policy (default: 5)")
  Integer guardSeeds;

  @Option(
      names = "--guard-seconds",
      description = "Simulated seconds per guard scenario (default: 60)")
  Double guardSeconds;

  @Option(
      names = "--cycles",
      description = "Stop after this many cycles (default: run until stopped)")
  Integer cycles;

  @Option(
      names = "--group",
      defaultValue = "surge-learn",
      description = "Consumer group whose committed experience offsets it restarts from")
  String group;

  @Option(
      names = "--out",
      defaultValue = "out/learn",
      description = "Where candidates are written (default: ${DEFAULT-VALUE})")
  Path out;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Configuration job = JobConfig.fromArgs(new String[] {"--config", target.config.toString()});
    Catalog catalog = Catalog.load(Path.of(job.get(SurgeOptions.CATALOG)));
    String learned = target.service != null ? target.service : onlyService(catalog);
    PolicyPublisher publisher =
        new PolicyPublisher(
            PublishTarget.fromJobConfig(target.config, kafka.bootstrap, kafka.clientProperties()));
    Files.createDirectories(out);
    Path start = out.resolve("running-start.onnx");
    Files.copy(running, start, StandardCopyOption.REPLACE_EXISTING);
    OnlineLearner learner =
        new OnlineLearner(
            catalog,
            learned,
            calibration == null ? Calibration.defaults() : Calibration.read(calibration),
            EstimatorSettings.defaults().withHistoryLength(job.get(SurgeOptions.HISTORY_LENGTH)),
            settings(job.get(SurgeOptions.POLICY_MODE)),
            start,
            out,
            candidate -> publisher.publish(candidate, target.service, null).update().getVersion());
    Topics topics = Topics.withPrefix(job.get(SurgeOptions.TOPIC_PREFIX));
    PrintWriter w = spec.commandLine().getOut();
    log(
        w,
        "learning for %s from %s (group %s), running %s, a cycle every %.0f s; candidates in %s",
        learned,
        topics.experience(),
        group,
        running,
        everySeconds,
        out);
    try (LearnerFeed feed =
            new LearnerFeed(
                kafka.bootstrap,
                kafka.clientProperties(),
                topics.experience(),
                topics.completions(),
                group,
                Duration.ofMinutes(2));
        ServerStatisticsFeed statistics =
            new ServerStatisticsFeed(catalog, ServerStatisticsFeed.EVERY)) {
      long known = -1; // the first look at the topic decides: what is there runs, not --running
      long period = Math.round(everySeconds * 1e9);
      long next = System.nanoTime() + period;
      while (cycles == null || learner.counters().cycles() < cycles) {
        boolean caughtUp = feed.pollInto(learner, Duration.ofMillis(200));
        statistics.pollInto(learner);
        // a cycle on half a backlog would train on a window that is not the recent one
        if (System.nanoTime() < next || !caughtUp) {
          continue;
        }
        try {
          known = follow(publisher, learner, learned, known, w);
          CycleOutcome outcome = learner.cycle();
          if (outcome.publishedVersion() > 0) {
            known = outcome.publishedVersion();
          }
          log(w, "%s; servers: %s", describe(outcome, learner, feed), statistics.describe());
        } catch (RuntimeException e) {
          // a failed publish or an unreadable model ends this cycle, not the learner
          log(w, "cycle failed: %s | %s", e, learner.counters());
        }
        next = System.nanoTime() + period;
      }
    }
    return 0;
  }

  /**
   * Switches the learner to the policy the topic says runs, when that is not the one it knows;
   * returns the version it knows now.
   */
  private long follow(
      PolicyPublisher publisher, OnlineLearner learner, String learned, long known, PrintWriter w) {
    Optional<PublishedPolicy> current = RunningPolicy.of(publisher.topic(), learned);
    if (current.isEmpty() || current.get().version() == known) {
      return known;
    }
    PublishedPolicy policy = current.get();
    learner.follow(RunningPolicy.writeModel(policy, out, publisher.target().maxPolicyBytes()));
    log(
        w,
        "following version %d (%s), the newest accepted on the policies topic for %s",
        policy.version(),
        policy.update().getName(),
        learned);
    return policy.version();
  }

  /**
   * The defaults and the options; PPO passes on the logged decisions only when the job samples some
   * of them (SAMPLE, EPSILON_GREEDY): under ARGMAX the logged probability is not the behaviour
   * probability (DESIGN.md section 10).
   */
  private LearnerSettings settings(OnnxPolicy.Mode jobMode) {
    LearnerSettings d = LearnerSettings.defaults();
    return new LearnerSettings(
        minDecisions != null ? minDecisions : d.minDecisions(),
        criticSteps != null ? criticSteps : d.criticSteps(),
        steps != null ? steps : d.trainingSteps(),
        d.episodeSeconds(),
        d.ppo(),
        d.latePenalty(),
        guardSeeds != null ? guardSeeds : d.guardSeeds(),
        guardSeconds != null ? guardSeconds : d.guardSeconds(),
        d.margin(),
        d.threads(),
        d.wallClockCap(),
        d.seed(),
        d.burnInSeconds(),
        d.privilegedCritic(),
        d.loggedCriticEpochs(),
        jobMode != OnnxPolicy.Mode.ARGMAX ? LOGGED_EPOCHS_WHEN_SAMPLED : 0);
  }

  private String onlyService(Catalog catalog) {
    if (catalog.services().size() != 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "the catalog has " + catalog.services().size() + " services: give --service");
    }
    return catalog.services().get(0).name();
  }

  private static String describe(CycleOutcome o, OnlineLearner learner, LearnerFeed feed) {
    StringBuilder line =
        new StringBuilder()
            .append("cycle ")
            .append(learner.counters().cycles())
            .append(' ')
            .append(o.service())
            .append(' ')
            .append(o.status())
            .append(": ")
            .append(o.reason());
    if (o.workload() != null) {
      line.append("; workload ").append(o.workload().toSpec());
      line.append(
          String.format(
              Locale.ROOT,
              "; trained %.1f s, judged %.1f s",
              o.trainingSeconds(),
              o.guardSeconds()));
    }
    line.append("; live ").append(o.calibration());
    line.append(
        String.format(
            Locale.ROOT,
            "; window %d decisions (%d duplicates dropped), read %d transitions, %d completions,"
                + " %d unreadable | %s",
            learner.experience().size(o.service()),
            learner.experience().duplicates(),
            feed.transitionsRead(),
            feed.completionsRead(),
            feed.unreadable(),
            learner.counters()));
    return line.toString();
  }

  private static void log(PrintWriter w, String format, Object... args) {
    w.printf(
        Locale.ROOT,
        "%s learn: %s%n",
        Instant.now().truncatedTo(ChronoUnit.SECONDS),
        String.format(Locale.ROOT, format, args));
    w.flush();
  }
}
