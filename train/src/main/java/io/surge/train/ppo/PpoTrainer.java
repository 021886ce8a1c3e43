package io.surge.train.ppo;

import io.surge.sim.env.SchedulingEnvironment;
import io.surge.train.nn.Adam;
import io.surge.train.nn.MaskedSoftmax;
import io.surge.train.nn.Mlp;
import io.surge.train.nn.Normalisation;
import io.surge.train.nn.ObservationNormaliser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * Trains a scheduling policy with PPO on {@link SchedulingEnvironment}s.
 *
 * <pre>{@code
 * PpoTrainer trainer = new PpoTrainer(() -> new MyEnvironment(...), PpoConfig.defaults(), seed);
 * trainer.train(1_000_000, Duration.ofMinutes(10), report -> bar.stepTo(report.environmentSteps()));
 * PolicyExporter.writer(trainer.networks(), spec, variantNames).version(2).writeTo(file);
 * }</pre>
 *
 * <p>Each update: every environment (its own instance, its own seed stream) collects a rollout
 * segment with the current networks, the environments in parallel on {@link PpoConfig#threads()}
 * threads; the segments are merged in environment order; the observation statistics absorb them;
 * then {@link PpoConfig#epochs()} passes of shuffled minibatches update actor and critic with Adam
 * while the normalisation stays frozen; the new normalisation applies from the next rollout.
 *
 * <p><b>Determinism.</b> The same environment factory, configuration, seed and step budget give
 * bit-identical parameters, whatever the thread count and timing: a worker's rollout depends only
 * on its seed and the networks, which no one writes while rollouts run; merges, reductions and
 * shuffles run on one thread in a fixed order; transcendental functions use {@link StrictMath}.
 * Only the wall-clock cap, when it is what stops training, makes the result timing-dependent.
 */
public final class PpoTrainer {

  private final PpoConfig config;
  private final ActorCritic networks;
  private final List<RolloutWorker> workers = new ArrayList<>();
  private final ObservationNormaliser normaliser;
  private final PpoObjective objective;
  private final Adam actorOptimiser;
  private final Adam criticOptimiser;
  private final double[] actorGradient;
  private final double[] criticGradient;
  private final RolloutBatch batch;
  private final SplittableRandom shuffler;
  private final UpdateStatistics statistics = new UpdateStatistics();
  private final ValueNormaliser valueNormaliser = new ValueNormaliser();
  private final LearningCurve learningCurve = new LearningCurve();
  private int[] order = new int[0];
  private Normalisation fixedNormalisation; // a warm start's: its actor was learned for it
  private boolean actorFrozen;
  private long updates;
  private long environmentSteps;

  /**
   * @param environments makes one environment per {@link PpoConfig#environments()} (each is used by
   *     one thread at a time)
   */
  public PpoTrainer(
      Supplier<? extends SchedulingEnvironment> environments, PpoConfig config, long seed) {
    this.config = config;
    SplittableRandom root = new SplittableRandom(seed);
    List<SchedulingEnvironment> instances = new ArrayList<>();
    for (int i = 0; i < config.environments(); i++) {
      instances.add(environments.get());
    }
    SchedulingEnvironment first = instances.get(0);
    int observationSize = first.observationSize();
    int actionCount = first.actionCount();
    this.networks =
        new ActorCritic(
            observationSize,
            observationSize - config.criticOnlyFeatures(),
            actionCount,
            config.hiddenSizes(),
            root.split());
    this.normaliser =
        new ObservationNormaliser(
            observationSize, config.observationStdFloor(), config.observationClip());
    networks.normalisation(normaliser.freeze());
    for (SchedulingEnvironment environment : instances) {
      if (environment.observationSize() != observationSize
          || environment.actionCount() != actionCount) {
        throw new IllegalArgumentException("the environments disagree on their shapes");
      }
      workers.add(new RolloutWorker(environment, networks, root.nextLong(), config.rewardScale()));
    }
    this.shuffler = root.split();
    this.objective = new PpoObjective(networks, config);
    this.actorGradient = new double[networks.actor().parameterCount()];
    this.criticGradient = new double[networks.critic().parameterCount()];
    this.actorOptimiser = new Adam(actorGradient.length, config.adamEpsilon());
    this.criticOptimiser = new Adam(criticGradient.length, config.adamEpsilon());
    this.batch = new RolloutBatch(observationSize, actionCount);
  }

  /** Trains for {@code steps} environment steps (rounded up to whole updates). */
  public TrainingSummary train(long steps) {
    return train(steps, null, TrainingListener.NONE);
  }

  /**
   * Trains for {@code steps} more environment steps, rounded up to whole updates, or until {@code
   * wallClockCap} (null: none) has passed, whichever comes first.
   */
  public TrainingSummary train(long steps, Duration wallClockCap, TrainingListener listener) {
    long start = System.nanoTime();
    long capNanos = wallClockCap == null ? Long.MAX_VALUE : wallClockCap.toNanos();
    long startSteps = environmentSteps;
    long startUpdates = updates;
    boolean capped = false;
    int threads = Math.min(config.threads(), workers.size());
    ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, daemon()) : null;
    try {
      while (environmentSteps - startSteps < steps) {
        if (System.nanoTime() - start >= capNanos) {
          capped = true;
          break;
        }
        double progress = (double) (environmentSteps - startSteps) / steps;
        double rate = config.learningRate() * (config.annealLearningRate() ? 1 - progress : 1);
        double meanReward = collect(pool);
        update(rate, config.epochs());
        updates++;
        learningCurve.add(environmentSteps, meanReward);
        listener.onUpdate(report(meanReward, startSteps + steps, start));
      }
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    return new TrainingSummary(
        updates - startUpdates, environmentSteps - startSteps, seconds(start), capped);
  }

  /**
   * Fine-tuning: starts the actor from a running policy's parameters and keeps that policy's
   * normalisation for good (its weights were learned for it; a normalisation re-estimated on new
   * data would change what the warm-started actor computes before it has learned anything). The
   * critic starts fresh: see {@link #trainCritic}.
   */
  public void startFrom(double[] actorParameters, Normalisation normalisation) {
    int d = normalisation.dimension();
    if (d != networks.observationSize() && d != networks.actorInputSize()) {
      throw new IllegalArgumentException(
          "a normalisation of "
              + d
              + " features for an actor of "
              + networks.actorInputSize()
              + " and a critic of "
              + networks.observationSize());
    }
    this.fixedNormalisation = normalisation;
    networks.loadActor(actorParameters, currentNormalisation());
  }

  /**
   * Trains only the critic for {@code steps} environment steps, the actor unchanged: after {@link
   * #startFrom}, a fresh critic's advantages are noise, and PPO steps on them would first undo part
   * of what the warm-started actor knows.
   */
  public TrainingSummary trainCritic(long steps, TrainingListener listener) {
    actorFrozen = true;
    try {
      return train(steps, null, listener);
    } finally {
      actorFrozen = false;
    }
  }

  /**
   * Behaviour cloning, a warm start for PPO: fits the actor to the teacher's actions (masked
   * cross-entropy) and the critic to the teacher's returns, over {@code epochs} passes of
   * minibatches with this trainer's optimisers, and sets the observation normalisation from the
   * demonstrations. PPO then improves on the teacher from where it stands, instead of from a
   * uniform policy whose random choices overload the servers in every state it visits.
   *
   * @return the final epoch's mean cross-entropy (nats per decision)
   */
  public double imitate(Demonstrations demos, int epochs, double learningRate) {
    if (demos.observationSize() != networks.observationSize()
        || demos.actionCount() != networks.actionCount()) {
      throw new IllegalArgumentException("demonstrations of another observation or action shape");
    }
    int d = demos.observationSize();
    int a = demos.actionCount();
    for (int i = 0; i < demos.size; i++) {
      normaliser.observe(demos.observations, i * d);
    }
    networks.normalisation(currentNormalisation());
    if (config.normaliseValues()) {
      valueNormaliser.observe(demos.returns, demos.size);
      networks.valueNormalisation(valueNormaliser.shift(), valueNormaliser.scale());
    }
    double[] normalised = new double[d];
    double[] probabilities = new double[a];
    double[] logitGradient = new double[a];
    double[] valueGradient = new double[1];
    Mlp.Workspace actorSpace = networks.actor().newWorkspace();
    Mlp.Workspace criticSpace = networks.critic().newWorkspace();
    int[] shuffled = new int[demos.size];
    for (int i = 0; i < shuffled.length; i++) {
      shuffled[i] = i;
    }
    double crossEntropy = Double.NaN;
    for (int epoch = 0; epoch < epochs; epoch++) {
      shuffle(shuffled);
      double sum = 0;
      for (int from = 0; from < shuffled.length; from += config.minibatchSize()) {
        int to = Math.min(shuffled.length, from + config.minibatchSize());
        double weight = 1.0 / (to - from);
        Arrays.fill(actorGradient, 0);
        Arrays.fill(criticGradient, 0);
        for (int k = from; k < to; k++) {
          int i = shuffled[k];
          networks.normalisation().apply(demos.observations, i * d, normalised, 0);
          double[] logits =
              networks.actor().forward(networks.liveActorParameters(), normalised, 0, actorSpace);
          double logZ = MaskedSoftmax.probabilities(logits, demos.masks, i * a, probabilities);
          int action = demos.actions[i];
          sum -= logits[action] - logZ;
          for (int j = 0; j < a; j++) {
            // d(-log p(action)) / d z_j = p_j - [j == action]
            logitGradient[j] = weight * (probabilities[j] - (j == action ? 1 : 0));
          }
          networks
              .actor()
              .backward(networks.liveActorParameters(), actorSpace, logitGradient, actorGradient);
          double value =
              networks.critic()
                  .forward(networks.liveCriticParameters(), normalised, 0, criticSpace)[0];
          valueGradient[0] =
              weight
                  * config.valueCoefficient()
                  * (value - networks.normalisedValue(demos.returns[i]));
          networks
              .critic()
              .backward(
                  networks.liveCriticParameters(), criticSpace, valueGradient, criticGradient);
        }
        Adam.clipNorm(actorGradient, config.maxGradientNorm());
        Adam.clipNorm(criticGradient, config.maxGradientNorm());
        actorOptimiser.step(networks.liveActorParameters(), actorGradient, learningRate);
        criticOptimiser.step(networks.liveCriticParameters(), criticGradient, learningRate);
      }
      crossEntropy = sum / Math.max(1, shuffled.length);
    }
    return crossEntropy;
  }

  /**
   * PPO on decisions another process logged (the job's {@code experience}) instead of on this
   * trainer's rollouts, from where the networks stand (DESIGN.md section 10): the observations join
   * the normalisation statistics; the critic alone is first fitted for {@code criticEpochs} passes
   * to the discounted returns of the logged rewards (the config's time discount between consecutive
   * decisions, as in training); then GAE advantages from that critic, and {@code epochs} passes of
   * the clipped PPO objective with the ratio {@code p(a) / mu(a)}, {@code mu} the logged behaviour
   * probability. Only the first {@link LoggedTransitions#trainable()} decisions are samples: the
   * ones after them only lend their rewards to the returns (a return needs the decisions of the
   * next few discount horizons).
   *
   * @return the last PPO pass's report (also told to {@code listener}), or null when there is no
   *     trainable decision
   */
  public UpdateReport trainOnLogged(
      LoggedTransitions logged,
      int criticEpochs,
      int epochs,
      double learningRate,
      TrainingListener listener) {
    if (logged.observationSize() != networks.observationSize()
        || logged.actionCount() != networks.actionCount()) {
      throw new IllegalArgumentException(
          "logged decisions of "
              + logged.observationSize()
              + " features and "
              + logged.actionCount()
              + " actions for networks of "
              + networks.observationSize()
              + " and "
              + networks.actionCount());
    }
    int n = logged.size();
    int trainable = logged.trainable();
    if (trainable == 0) {
      return null;
    }
    long start = System.nanoTime();
    int d = logged.observationSize();
    for (int i = 0; i < n; i++) {
      normaliser.observe(logged.observations, i * d);
    }
    networks.normalisation(currentNormalisation());
    double[] rewards = new double[n];
    double rewardSum = 0;
    for (int i = 0; i < n; i++) {
      rewards[i] = logged.rewards[i] * config.rewardScale();
    }
    for (int i = 0; i < trainable; i++) {
      rewardSum += rewards[i];
    }
    // 1. the critic alone, on the discounted returns of what followed each decision
    double[] returns = new double[n];
    double following = 0;
    for (int i = n - 1; i >= 0; i--) {
      double gamma =
          i + 1 < n ? config.discount(logged.timesNanos[i], logged.timesNanos[i + 1]) : 0;
      following = rewards[i] + gamma * following;
      returns[i] = following;
    }
    ActorCritic.Evaluator evaluator = networks.newEvaluator();
    if (config.normaliseValues()) {
      valueNormaliser.observe(returns, trainable);
      networks.valueNormalisation(valueNormaliser.shift(), valueNormaliser.scale());
    }
    fillLoggedBatch(logged, trainable, new double[trainable], returns, evaluator);
    actorFrozen = true;
    try {
      update(learningRate, criticEpochs);
    } finally {
      actorFrozen = false;
    }
    // 2. GAE advantages with the fitted critic, then the clipped-ratio steps
    double[] values = new double[n + 1];
    for (int i = 0; i < n; i++) {
      values[i] = evaluator.value(logged.observations, i * d);
    }
    double[] advantages = new double[n];
    double running = 0;
    for (int i = n - 1; i >= 0; i--) {
      boolean last = i + 1 == n;
      double gamma = last ? 0 : config.discount(logged.timesNanos[i], logged.timesNanos[i + 1]);
      double lambda = last ? 0 : config.lambda(logged.timesNanos[i], logged.timesNanos[i + 1]);
      double delta = rewards[i] + gamma * values[i + 1] - values[i];
      running = delta + gamma * lambda * running;
      advantages[i] = running;
    }
    double[] targets = new double[n];
    for (int i = 0; i < n; i++) {
      targets[i] = advantages[i] + values[i];
    }
    fillLoggedBatch(logged, trainable, advantages, targets, evaluator);
    batch.normaliseAdvantages();
    if (config.normaliseValues()) {
      valueNormaliser.observe(batch.returns, batch.size);
      networks.valueNormalisation(valueNormaliser.shift(), valueNormaliser.scale());
    }
    update(learningRate, epochs);
    updates++;
    UpdateReport report = report(rewardSum / trainable, environmentSteps, start);
    listener.onUpdate(report);
    return report;
  }

  /** The first {@code count} logged decisions as this trainer's batch. */
  private void fillLoggedBatch(
      LoggedTransitions logged,
      int count,
      double[] advantages,
      double[] returns,
      ActorCritic.Evaluator evaluator) {
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      values[i] = evaluator.value(logged.observations, i * logged.observationSize());
    }
    batch.clear();
    logged.addTo(batch, networks.normalisation(), count, advantages, returns, values);
  }

  public ActorCritic networks() {
    return networks;
  }

  public LearningCurve learningCurve() {
    return learningCurve;
  }

  public long environmentSteps() {
    return environmentSteps;
  }

  public long updates() {
    return updates;
  }

  /** Runs every worker's rollout and merges them in worker order; returns the mean reward. */
  private double collect(ExecutorService pool) {
    int decisions = config.rolloutDecisions();
    long[] steps = new long[workers.size()];
    if (pool == null) {
      for (int i = 0; i < workers.size(); i++) {
        steps[i] = workers.get(i).collect(decisions, config);
      }
    } else {
      List<Future<Long>> running = new ArrayList<>();
      for (RolloutWorker worker : workers) {
        running.add(pool.submit(() -> worker.collect(decisions, config)));
      }
      for (int i = 0; i < workers.size(); i++) {
        steps[i] = join(running.get(i));
      }
    }
    batch.clear();
    double rewardSum = 0;
    for (int i = 0; i < workers.size(); i++) {
      RolloutWorker worker = workers.get(i);
      worker.addTo(batch, networks.normalisation());
      worker.observeInto(normaliser);
      rewardSum += worker.rewardSum();
      worker.release();
      environmentSteps += steps[i];
    }
    batch.normaliseAdvantages();
    if (config.normaliseValues()) {
      // the advantages above used the critic as it was; it learns the new targets' scale now
      valueNormaliser.observe(batch.returns, batch.size);
      networks.valueNormalisation(valueNormaliser.shift(), valueNormaliser.scale());
    }
    return rewardSum / batch.size;
  }

  private void update(double learningRate, int epochs) {
    statistics.clear();
    int n = batch.size;
    if (order.length != n) {
      order = new int[n];
    }
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int epoch = 0; epoch < epochs; epoch++) {
      shuffle(order);
      for (int from = 0; from < n; from += config.minibatchSize()) {
        int to = Math.min(n, from + config.minibatchSize());
        Arrays.fill(actorGradient, 0);
        Arrays.fill(criticGradient, 0);
        objective.lossAndGradient(
            batch, order, from, to, actorGradient, criticGradient, statistics);
        // each network's gradient is clipped on its own: the value loss's scale must not shrink
        // the policy's step
        Adam.clipNorm(actorGradient, config.maxGradientNorm());
        Adam.clipNorm(criticGradient, config.maxGradientNorm());
        if (!actorFrozen) {
          actorOptimiser.step(networks.liveActorParameters(), actorGradient, learningRate);
        }
        criticOptimiser.step(networks.liveCriticParameters(), criticGradient, learningRate);
      }
    }
    networks.normalisation(currentNormalisation());
  }

  /**
   * The running statistics, or a warm start's normalisation for good; when that covers only the
   * actor's features, the critic-only features after them still follow the running statistics.
   */
  private Normalisation currentNormalisation() {
    if (fixedNormalisation == null) {
      return normaliser.freeze();
    }
    if (fixedNormalisation.dimension() < networks.observationSize()) {
      return fixedNormalisation.extendedBy(normaliser.freeze());
    }
    return fixedNormalisation;
  }

  private void shuffle(int[] values) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = shuffler.nextInt(i + 1);
      int t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }

  private UpdateReport report(double meanReward, long budget, long start) {
    return new UpdateReport(
        updates,
        environmentSteps,
        budget,
        meanReward,
        statistics.mean(statistics.entropy),
        statistics.mean(statistics.policyLoss),
        statistics.mean(statistics.valueLoss),
        statistics.mean(statistics.approximateKl),
        statistics.mean(statistics.clipped),
        seconds(start));
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static long join(Future<Long> rollout) {
    try {
      return rollout.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while collecting rollouts", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("a rollout failed", e.getCause());
    }
  }

  private static ThreadFactory daemon() {
    return task -> {
      Thread thread = new Thread(task, "ppo-rollout");
      thread.setDaemon(true);
      return thread;
    };
  }
}
