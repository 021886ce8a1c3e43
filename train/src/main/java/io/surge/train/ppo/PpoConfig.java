package io.surge.train.ppo;

import java.util.List;

/**
 * PPO hyper-parameters. Defaults ({@link #defaults()}) follow the common PPO settings for small
 * discrete-action problems, with a per-decision discount close to 1 because the objective is the
 * long-run mean reward per request (see {@link #gamma}).
 *
 * @param hiddenLayers widths of the Relu hidden layers, for the actor and (separately) the critic
 * @param environments environment instances; each acts with its own seed stream, and results depend
 *     on this number (and not on {@link #threads})
 * @param threads threads stepping the environments; changes speed only, never results
 * @param rolloutDecisions decisions per environment per update
 * @param epochs passes over each rollout
 * @param minibatchSize samples per gradient step
 * @param learningRate Adam step size at the start
 * @param annealLearningRate decrease the step size linearly to 0 over the step budget
 * @param gamma discount per decision. The objective is an average reward, which a discount only
 *     approximates: a decision's consequences (the queue it leaves behind) fade after a few to a
 *     few tens of decisions, so a horizon {@code 1 / (1 - gamma)} of 100-200 decisions keeps the
 *     discounted optimum at the average-reward optimum while the return's variance stays bounded
 * @param discountSeconds when positive, replaces {@link #gamma}: the discount between two decisions
 *     is {@code exp(-dt / discountSeconds)} of the simulated time {@code dt} between them, a
 *     horizon in seconds rather than decisions. Under a burst the decisions come faster while a
 *     queue's consequences last longer, so a per-decision horizon shrinks in time exactly where it
 *     should grow; 0 (the default) keeps the per-decision {@code gamma}
 * @param gaeLambda GAE's bias-variance trade-off
 * @param gaeSeconds when positive, replaces {@link #gaeLambda}: {@code exp(-dt / gaeSeconds)}
 *     between two decisions, so the advantage sums the actual rewards of a span of simulated time
 *     rather than of decisions. A request admitted into a queue makes the requests behind it late
 *     some 50-100 ms later, hundreds of decisions in a burst: a per-decision lambda of 0.95 (a
 *     horizon of ~20 decisions, 5-10 ms) leaves that cost entirely to the critic's estimate; 0 (the
 *     default) keeps the per-decision lambda
 * @param clipRatio PPO's {@code epsilon}: how far one update may move a probability ratio
 * @param valueCoefficient weight of the value loss {@code 0.5 (V - R)^2}
 * @param normaliseValues train the critic on returns normalised by their running mean and standard
 *     deviation ({@link ValueNormaliser}) instead of raw returns; the value loss is then in those
 *     units
 * @param valueClip clip the value prediction to within this of the rollout's (PPO2 style); 0 =
 *     unclipped, the default (clipping the value helped in no study we know of)
 * @param entropyCoefficient weight of the entropy bonus (exploration)
 * @param maxGradientNorm global norm each network's gradient is clipped to
 * @param adamEpsilon Adam's denominator guard
 * @param observationStdFloor the normalisation never divides by less: a feature that did not vary
 *     in training maps to 0 instead of dividing by 0, yet a real 1e-3 spread is kept
 * @param observationClip normalised features are clipped to this many standard deviations
 * @param criticOnlyFeatures the last this many features of each observation go to the critic only
 *     (an asymmetric actor-critic): simulator state the deployed actor cannot observe, such as the
 *     coming second's arrivals, explains much of a return's variance, so the critic's advantages
 *     are less noisy; 0 (the default): both networks see everything
 * @param rewardScale rewards are multiplied by this before learning (e.g. 0.01 for accuracies in
 *     percent): it keeps returns, and so the critic's targets, of order 1, which the value loss and
 *     the gradient-norm cap assume
 */
public record PpoConfig(
    List<Integer> hiddenLayers,
    int environments,
    int threads,
    int rolloutDecisions,
    int epochs,
    int minibatchSize,
    double learningRate,
    boolean annealLearningRate,
    double gamma,
    double discountSeconds,
    double gaeLambda,
    double gaeSeconds,
    double clipRatio,
    double valueCoefficient,
    boolean normaliseValues,
    double valueClip,
    double entropyCoefficient,
    double maxGradientNorm,
    double adamEpsilon,
    double observationStdFloor,
    double observationClip,
    int criticOnlyFeatures,
    double rewardScale) {

  public PpoConfig {
    hiddenLayers = List.copyOf(hiddenLayers);
    requirePositive(environments, "environments");
    requirePositive(threads, "threads");
    requirePositive(rolloutDecisions, "rolloutDecisions");
    requirePositive(epochs, "epochs");
    requirePositive(minibatchSize, "minibatchSize");
    if (!(gamma > 0 && gamma <= 1) || !(gaeLambda >= 0 && gaeLambda <= 1)) {
      throw new IllegalArgumentException("gamma must be in (0, 1] and lambda in [0, 1]");
    }
    if (!(discountSeconds >= 0) || !Double.isFinite(discountSeconds)) {
      throw new IllegalArgumentException("discount seconds must be >= 0: " + discountSeconds);
    }
    if (!(gaeSeconds >= 0) || !Double.isFinite(gaeSeconds)) {
      throw new IllegalArgumentException("GAE seconds must be >= 0: " + gaeSeconds);
    }
    if (criticOnlyFeatures < 0) {
      throw new IllegalArgumentException(
          "critic-only features must be >= 0: " + criticOnlyFeatures);
    }
    if (!(rewardScale > 0) || !Double.isFinite(rewardScale)) {
      throw new IllegalArgumentException("reward scale must be a positive number: " + rewardScale);
    }
    if (!(learningRate > 0) || !(clipRatio > 0) || !(maxGradientNorm > 0)) {
      throw new IllegalArgumentException("learning rate, clip ratio, gradient norm must be > 0");
    }
  }

  public static PpoConfig defaults() {
    return new Builder().build();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The discount from a decision at {@code fromNanos} to the next one at {@code toNanos} (simulated
   * time): {@link #gamma}, or the time-based one when {@link #discountSeconds} is set.
   */
  public double discount(long fromNanos, long toNanos) {
    if (discountSeconds == 0) {
      return gamma;
    }
    return Math.exp(-Math.max(0, toNanos - fromNanos) * 1e-9 / discountSeconds);
  }

  /**
   * GAE's lambda from a decision at {@code fromNanos} to the next one at {@code toNanos}: {@link
   * #gaeLambda}, or the time-based one when {@link #gaeSeconds} is set.
   */
  public double lambda(long fromNanos, long toNanos) {
    if (gaeSeconds == 0) {
      return gaeLambda;
    }
    return Math.exp(-Math.max(0, toNanos - fromNanos) * 1e-9 / gaeSeconds);
  }

  /** {@link #hiddenLayers} as an array. */
  int[] hiddenSizes() {
    return hiddenLayers.stream().mapToInt(Integer::intValue).toArray();
  }

  private static void requirePositive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }

  /** Fluent construction from the defaults. */
  public static final class Builder {
    private List<Integer> hiddenLayers = List.of(64, 64);
    private int environments = 2;
    private int threads = 2;
    private int rolloutDecisions = 1024;
    private int epochs = 10;
    private int minibatchSize = 256;
    private double learningRate = 3e-4;
    private boolean annealLearningRate = true;
    private double gamma = 0.99;
    private double discountSeconds = 0;
    private double gaeLambda = 0.95;
    private double gaeSeconds = 0;
    private double clipRatio = 0.2;
    private double valueCoefficient = 0.5;
    private boolean normaliseValues = false;
    private double valueClip = 0;
    private double entropyCoefficient = 0.01;
    private double maxGradientNorm = 0.5;
    private double adamEpsilon = 1e-5;
    private double observationStdFloor = 1e-3;
    private double observationClip = 10;
    private int criticOnlyFeatures = 0;
    private double rewardScale = 1;

    public Builder() {}

    private Builder(PpoConfig c) {
      hiddenLayers = c.hiddenLayers;
      environments = c.environments;
      threads = c.threads;
      rolloutDecisions = c.rolloutDecisions;
      epochs = c.epochs;
      minibatchSize = c.minibatchSize;
      learningRate = c.learningRate;
      annealLearningRate = c.annealLearningRate;
      gamma = c.gamma;
      discountSeconds = c.discountSeconds;
      gaeLambda = c.gaeLambda;
      gaeSeconds = c.gaeSeconds;
      clipRatio = c.clipRatio;
      valueCoefficient = c.valueCoefficient;
      normaliseValues = c.normaliseValues;
      valueClip = c.valueClip;
      entropyCoefficient = c.entropyCoefficient;
      maxGradientNorm = c.maxGradientNorm;
      adamEpsilon = c.adamEpsilon;
      observationStdFloor = c.observationStdFloor;
      observationClip = c.observationClip;
      criticOnlyFeatures = c.criticOnlyFeatures;
      rewardScale = c.rewardScale;
    }

    public Builder rewardScale(double scale) {
      rewardScale = scale;
      return this;
    }

    public Builder hiddenLayers(Integer... widths) {
      hiddenLayers = List.of(widths);
      return this;
    }

    public Builder environments(int n) {
      environments = n;
      return this;
    }

    public Builder threads(int n) {
      threads = n;
      return this;
    }

    public Builder rolloutDecisions(int n) {
      rolloutDecisions = n;
      return this;
    }

    public Builder epochs(int n) {
      epochs = n;
      return this;
    }

    public Builder minibatchSize(int n) {
      minibatchSize = n;
      return this;
    }

    public Builder learningRate(double rate) {
      learningRate = rate;
      return this;
    }

    public Builder annealLearningRate(boolean anneal) {
      annealLearningRate = anneal;
      return this;
    }

    public Builder gamma(double g) {
      gamma = g;
      return this;
    }

    public Builder discountSeconds(double seconds) {
      discountSeconds = seconds;
      return this;
    }

    public Builder gaeLambda(double lambda) {
      gaeLambda = lambda;
      return this;
    }

    public Builder gaeSeconds(double seconds) {
      gaeSeconds = seconds;
      return this;
    }

    public Builder clipRatio(double ratio) {
      clipRatio = ratio;
      return this;
    }

    public Builder valueCoefficient(double c) {
      valueCoefficient = c;
      return this;
    }

    public Builder normaliseValues(boolean normalise) {
      normaliseValues = normalise;
      return this;
    }

    public Builder valueClip(double clip) {
      valueClip = clip;
      return this;
    }

    public Builder entropyCoefficient(double c) {
      entropyCoefficient = c;
      return this;
    }

    public Builder maxGradientNorm(double norm) {
      maxGradientNorm = norm;
      return this;
    }

    public Builder adamEpsilon(double eps) {
      adamEpsilon = eps;
      return this;
    }

    public Builder observationStdFloor(double floor) {
      observationStdFloor = floor;
      return this;
    }

    public Builder observationClip(double clip) {
      observationClip = clip;
      return this;
    }

    public Builder criticOnlyFeatures(int count) {
      criticOnlyFeatures = count;
      return this;
    }

    public PpoConfig build() {
      return new PpoConfig(
          hiddenLayers,
          environments,
          threads,
          rolloutDecisions,
          epochs,
          minibatchSize,
          learningRate,
          annealLearningRate,
          gamma,
          discountSeconds,
          gaeLambda,
          gaeSeconds,
          clipRatio,
          valueCoefficient,
          normaliseValues,
          valueClip,
          entropyCoefficient,
          maxGradientNorm,
          adamEpsilon,
          observationStdFloor,
          observationClip,
          criticOnlyFeatures,
          rewardScale);
    }
  }
}
