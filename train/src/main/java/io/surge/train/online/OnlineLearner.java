package io.surge.train.online;

import io.surge.policy.SchedulingPolicy;
import io.surge.policy.onnx.OnnxPolicy;
import io.surge.policy.onnx.PolicyModelContract;
import io.surge.policy.onnx.PolicyRejectedException;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.engine.Calibration;
import io.surge.sim.engine.PrivilegedFeatures;
import io.surge.sim.engine.Simulator;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.EstimatorSettings;
import io.surge.state.Rewards;
import io.surge.state.ServiceTopology;
import io.surge.state.catalog.Catalog;
import io.surge.train.PolicyTraining;
import io.surge.train.TrainedPolicy;
import io.surge.train.TrainingPlan;
import io.surge.train.WarmStart;
import io.surge.train.eval.MeanInterval;
import io.surge.train.export.PolicyModelReader;
import io.surge.train.ppo.LoggedTransitions;
import io.surge.train.ppo.PpoConfig;
import io.surge.train.ppo.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The online learner of one service (DESIGN.md section 10), without Kafka: it takes the job's
 * transitions and completions in, keeps a live calibration (a latency factor per server from the
 * completions, the recent arrival pattern from the decisions), and on each {@link #cycle()}
 * fine-tunes the running policy by PPO in the simulator of that live site ({@link
 * PolicyTraining#run(TrainingPlan, WarmStart, java.util.function.Consumer)}: the live factors as
 * slow-downs, the asymmetric critic, the burn-in, and optionally PPO passes on the logged decisions
 * first), lets the {@link PolicyGuard} compare the candidate with the running policy there, and
 * publishes it only when the guard lets it through. A published candidate is the running policy
 * from then on.
 *
 * <pre>{@code
 * OnlineLearner learner = new OnlineLearner(catalog, service, calibration, estimators, settings,
 *     Path.of("running.onnx"), workDir, candidate -> publisher.publish(candidate, service, null));
 * learner.observe(decision); learner.observe(completion); ...
 * CycleOutcome outcome = learner.cycle();
 * }</pre>
 */
public final class OnlineLearner {

  /** Sends a candidate the guard let through to the job; returns the version it went out as. */
  @FunctionalInterface
  public interface Publisher {
    long publish(Path candidate);
  }

  /** Request ids remembered for deduplication, and decisions kept per service. */
  static final int DEDUP_IDS = 200_000;

  static final int WINDOW_DECISIONS = 100_000;

  /** Recent experience: 2 minutes, so that a drift replaces the old regime within that. */
  public static final long WINDOW_MILLIS = 120_000;

  /** Latencies kept per server and variant, and how many make an estimate. */
  static final int LATENCY_WINDOW = 512;

  static final int LATENCY_MIN_SAMPLES = 30;

  private final Catalog catalog;
  private final String service;
  private final Calibration calibration;
  private final EstimatorSettings estimators;
  private final LearnerSettings settings;
  private final Path workDir;
  private final Publisher publisher;
  private final ExperienceWindows experience;
  private final LatencyScales latency;
  private final LearnerCounters counters = new LearnerCounters();
  private Path running;
  private TrainingListener listener = TrainingListener.NONE;

  /**
   * @param calibration the calibration the live factors apply to (the shipped one, or the site's)
   * @param running the policy the job runs now for this service
   * @param workDir where candidates are written ({@code candidate-N.onnx})
   */
  public OnlineLearner(
      Catalog catalog,
      String service,
      Calibration calibration,
      EstimatorSettings estimators,
      LearnerSettings settings,
      Path running,
      Path workDir,
      Publisher publisher) {
    this.catalog = catalog;
    this.service = service;
    this.calibration = calibration;
    this.estimators = estimators;
    this.settings = settings;
    this.running = running;
    this.workDir = workDir;
    this.publisher = publisher;
    this.experience = new ExperienceWindows(DEDUP_IDS, WINDOW_DECISIONS, WINDOW_MILLIS);
    this.latency =
        new LatencyScales(calibration, catalog, service, LATENCY_WINDOW, LATENCY_MIN_SAMPLES);
  }

  /** Takes one logged decision in; false when it is a duplicate or of another service. */
  public boolean observe(LoggedDecision decision) {
    return service.equals(decision.service()) && experience.accept(decision);
  }

  public void observe(ObservedCompletion completion) {
    latency.observe(completion);
  }

  /** Takes in what a server reported it computed (its statistics, between two reads). */
  public void observe(ObservedExecutions executions) {
    latency.observe(executions);
  }

  /** Told after every PPO update of a candidate's training (critic-only updates included). */
  public OnlineLearner trainingListener(TrainingListener listener) {
    this.listener = listener;
    return this;
  }

  public LearnerCounters counters() {
    return counters;
  }

  public ExperienceWindows experience() {
    return experience;
  }

  public LatencyScales latency() {
    return latency;
  }

  /** The policy the job runs for this service, as far as this learner knows. */
  public Path running() {
    return running;
  }

  /**
   * From now on {@code model} is the running policy: someone else published it, or the job refused
   * what this learner published and kept the one before.
   */
  public void follow(Path model) {
    this.running = model;
  }

  /** The recent arrival pattern; null before 2 seconds of decisions. */
  public WorkloadSpec recentWorkload() {
    return ArrivalPattern.fit(experience.arrivalMillis(service));
  }

  /** One cycle: train a candidate from the running policy, judge it, publish it if it passes. */
  public CycleOutcome cycle() {
    counters.countCycle();
    String live = latency.describe();
    int decisions = experience.size(service);
    if (decisions < settings.minDecisions()) {
      counters.countSkipped();
      return CycleOutcome.skipped(
          service,
          live,
          decisions + " decisions in the window, " + settings.minDecisions() + " needed");
    }
    WorkloadSpec workload = recentWorkload();
    if (workload == null) {
      counters.countSkipped();
      return CycleOutcome.skipped(service, live, "less than 2 s of arrivals in the window");
    }
    PolicyModelReader.Actor actor = PolicyModelReader.read(running);
    SimulatorConfig simulator =
        SimulatorConfig.of(catalog, service, calibration).withEstimators(estimators);
    Simulator probe = new Simulator(simulator);
    if (!probe.spec().hash().equals(actor.specHash())) {
      counters.countSkipped();
      return CycleOutcome.skipped(
          service,
          live,
          "the running policy "
              + running.getFileName()
              + " does not fit the service's observation spec "
              + probe.spec().hash());
    }
    List<String> servers = serverNames(probe);
    // the live factors as slow-downs of the profile's servers: the job's latency table keeps the
    // profile, only its executions take longer (and the privileged critic sees the factors)
    DisturbanceSpec drift = latency.disturbances(servers);
    long cycle = counters.cycles();
    long start = System.nanoTime();
    TrainingPlan plan = plan(workload, drift, actor, settings.seed() + cycle - 1);
    WarmStart warmStart =
        new WarmStart(actor, settings.criticSteps())
            .withBurnIn(settings.burnInSeconds(), () -> burnInPolicy(probe));
    LoggedTransitions logged = null;
    if (settings.loggedEpochs() > 0) {
      logged =
          LoggedExperience.of(
              experience.decisions(service),
              probe.spec(),
              settings.privilegedCritic() ? latency.factorsOf(servers) : null,
              settings.latePenalty());
      warmStart =
          warmStart.withLogged(
              new WarmStart.LoggedSteps(
                  logged, settings.loggedCriticEpochs(), settings.loggedEpochs()));
    }
    TrainedPolicy trained =
        PolicyTraining.run(plan, warmStart, progress -> listener.onUpdate(progress.update()));
    Path candidate = workDir.resolve("candidate-" + cycle + ".onnx");
    trained.export(
        candidate,
        runningVersion(actor) + 1,
        "online cycle "
            + cycle
            + ": "
            + workload.toSpec()
            + "; "
            + live
            + (logged == null ? "" : "; " + logged.trainable() + " logged decisions"));
    counters.countTrained();
    double trainingSeconds = (System.nanoTime() - start) / 1e9;
    long judged = System.nanoTime();
    DecisionAgreement agreement =
        DecisionAgreement.score(
            running,
            candidate,
            probe.spec(),
            probe.topology().actionNames(),
            experience.decisions(service));
    if (agreement.identical()) {
      // the same action on everything the job saw: the simulator would find no difference either
      counters.countRejected();
      String reason = "not better: " + agreement.describe() + "; the guard's simulation skipped";
      return new CycleOutcome(
          service,
          CycleOutcome.Status.REJECTED,
          workload,
          live,
          candidate,
          new GuardVerdict(false, Double.NaN, Double.NaN, new MeanInterval(0, 0), reason),
          0,
          trainingSeconds,
          (System.nanoTime() - judged) / 1e9,
          reason);
    }
    GuardVerdict verdict =
        new PolicyGuard(
                simulator,
                workload,
                drift,
                settings.guardSeeds(),
                settings.guardSeconds(),
                settings.margin(),
                settings.threads())
            .judge(running, candidate);
    double guardSeconds = (System.nanoTime() - judged) / 1e9;
    if (!verdict.publish()) {
      counters.countRejected();
      return new CycleOutcome(
          service,
          CycleOutcome.Status.REJECTED,
          workload,
          live,
          candidate,
          verdict,
          0,
          trainingSeconds,
          guardSeconds,
          verdict.reason() + "; " + agreement.describe());
    }
    long version = publisher.publish(candidate);
    counters.countPublished();
    running = candidate;
    return new CycleOutcome(
        service,
        CycleOutcome.Status.PUBLISHED,
        workload,
        live,
        candidate,
        verdict,
        version,
        trainingSeconds,
        guardSeconds,
        "published as version " + version + ": " + verdict.reason() + "; " + agreement.describe());
  }

  /** The running policy in the job's serving mode (argmax), for a training episode's burn-in. */
  private SchedulingPolicy burnInPolicy(Simulator probe) {
    try {
      return OnnxPolicy.load(
          Files.readAllBytes(running),
          probe.spec(),
          probe.topology().actionNames(),
          OnnxPolicy.Options.defaults().withMode(OnnxPolicy.Mode.ARGMAX));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the running policy " + running, e);
    } catch (PolicyRejectedException e) {
      throw new IllegalStateException("the running policy does not load: " + e.getMessage(), e);
    }
  }

  /**
   * Fine-tuning in the live site: the recent arrival pattern on the base calibration with the live
   * slow-downs; with the asymmetric critic of the shipped recipe when the settings ask for it.
   */
  private TrainingPlan plan(
      WorkloadSpec workload, DisturbanceSpec drift, PolicyModelReader.Actor actor, long seed) {
    int criticOnly =
        settings.privilegedCritic()
            ? PrivilegedFeatures.names(ServiceTopology.of(catalog, service)).size()
            : 0;
    PpoConfig ppo =
        settings.ppo().toBuilder()
            .hiddenLayers(Arrays.stream(actor.hiddenSizes()).boxed().toArray(Integer[]::new))
            .criticOnlyFeatures(criticOnly)
            .build();
    return new TrainingPlan(
        calibration,
        catalog,
        service,
        List.of(workload),
        drift,
        null,
        settings.episodeSeconds(),
        estimators,
        settings.privilegedCritic(),
        new Rewards(0, settings.latePenalty(), settings.latePenalty()),
        null,
        ppo,
        settings.trainingSteps(),
        seed,
        settings.wallClockCap(),
        null);
  }

  private static List<String> serverNames(Simulator probe) {
    List<String> names = new ArrayList<>();
    for (int s = 0; s < probe.topology().serverCount(); s++) {
      names.add(probe.topology().serverName(s));
    }
    return names;
  }

  private static long runningVersion(PolicyModelReader.Actor actor) {
    try {
      return Long.parseLong(actor.metadata().getOrDefault(PolicyModelContract.VERSION, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
