package io.surge.train.online;

import io.surge.policy.onnx.OnnxPolicy;
import io.surge.policy.onnx.PolicyModelContract;
import io.surge.policy.onnx.PolicyRejectedException;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.engine.Calibration;
import io.surge.sim.engine.Simulator;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.sim.env.EdgeServingEnvironment;
import io.surge.sim.env.EnvironmentConfig;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.EstimatorSettings;
import io.surge.state.Rewards;
import io.surge.state.catalog.Catalog;
import io.surge.train.TrainingPlan;
import io.surge.train.eval.MeanInterval;
import io.surge.train.export.PolicyExporter;
import io.surge.train.export.PolicyModelReader;
import io.surge.train.ppo.PpoConfig;
import io.surge.train.ppo.PpoTrainer;
import io.surge.train.ppo.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The online learner of one service (DESIGN.md section 10), without Kafka: it takes the job's
 * transitions and completions in, keeps a live calibration (a latency factor per server from the
 * completions, the recent arrival pattern from the decisions), and on each {@link #cycle()}
 * fine-tunes the running policy by PPO in the simulator calibrated by them, lets the {@link
 * PolicyGuard} compare the candidate with the running policy there, and publishes it only when the
 * guard lets it through. A published candidate is the running policy from then on.
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
  static final long WINDOW_MILLIS = 120_000;

  /** Latencies kept per server and variant, and how many make an estimate. */
  static final int LATENCY_WINDOW = 512;

  static final int LATENCY_MIN_SAMPLES = 30;

  private final Catalog catalog;
  private final String service;
  private final EstimatorSettings estimators;
  private final LearnerSettings settings;
  private final Path workDir;
  private final Publisher publisher;
  private final ExperienceWindows experience;
  private final LatencyScales latency;
  private final LearnerCounters counters = new LearnerCounters();
  private Path running;
  private TrainingListener listener = TrainingListener.NONE;
  // the burn-in policies of the cycle's environments (one per environment: not thread-safe)
  private final List<OnnxPolicy> burnIns = new java.util.concurrent.CopyOnWriteArrayList<>();

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
    Calibration calibration = latency.calibration();
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
    long cycle = counters.cycles();
    long start = System.nanoTime();
    TrainingPlan plan = plan(calibration, workload, actor, settings.seed() + cycle - 1);
    PpoTrainer trainer =
        new PpoTrainer(() -> environment(plan.environmentConfig(), probe), plan.ppo(), plan.seed());
    trainer.startFrom(actor.parameters(), actor.normalisation());
    try {
      trainer.trainCritic(settings.criticSteps(), listener);
      trainer.train(settings.trainingSteps(), settings.wallClockCap(), listener);
    } finally {
      burnIns.forEach(OnnxPolicy::close);
      burnIns.clear();
    }
    Path candidate = workDir.resolve("candidate-" + cycle + ".onnx");
    PolicyExporter.writer(trainer.networks(), probe.spec(), probe.topology().actionNames())
        .version(runningVersion(actor) + 1)
        .trainedOn("online cycle " + cycle + ": " + workload.toSpec() + "; " + live)
        .writeTo(candidate);
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
                DisturbanceSpec.NONE,
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

  /** A training environment, with the running policy's burn-in when the settings ask for one. */
  private EdgeServingEnvironment environment(EnvironmentConfig config, Simulator probe) {
    if (settings.burnInSeconds() <= 0) {
      return new EdgeServingEnvironment(config);
    }
    try {
      OnnxPolicy burnIn =
          OnnxPolicy.load(
              Files.readAllBytes(running),
              probe.spec(),
              probe.topology().actionNames(),
              OnnxPolicy.Options.defaults().withMode(OnnxPolicy.Mode.ARGMAX));
      burnIns.add(burnIn);
      return new EdgeServingEnvironment(config, settings.burnInSeconds(), burnIn);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the running policy " + running, e);
    } catch (PolicyRejectedException e) {
      throw new IllegalStateException("the running policy does not load: " + e.getMessage(), e);
    }
  }

  private TrainingPlan plan(
      Calibration calibration, WorkloadSpec workload, PolicyModelReader.Actor actor, long seed) {
    PpoConfig ppo =
        settings.ppo().toBuilder()
            .hiddenLayers(Arrays.stream(actor.hiddenSizes()).boxed().toArray(Integer[]::new))
            .build();
    return new TrainingPlan(
        calibration,
        catalog,
        service,
        List.of(workload),
        DisturbanceSpec.NONE,
        null,
        settings.episodeSeconds(),
        estimators,
        false,
        new Rewards(0, settings.latePenalty(), settings.latePenalty()),
        null,
        ppo,
        settings.criticSteps() + settings.trainingSteps(),
        seed,
        settings.wallClockCap());
  }

  private static long runningVersion(PolicyModelReader.Actor actor) {
    try {
      return Long.parseLong(actor.metadata().getOrDefault(PolicyModelContract.VERSION, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
