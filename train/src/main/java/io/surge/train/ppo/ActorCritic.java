package io.surge.train.ppo;

import io.surge.train.nn.MaskedSoftmax;
import io.surge.train.nn.Mlp;
import io.surge.train.nn.Normalisation;
import java.util.SplittableRandom;

/**
 * The learner's networks: an actor (normalised observation to one logit per action, masked softmax)
 * and a separate critic (normalised observation to a value), both reading the same frozen {@link
 * Normalisation}. Separate networks keep the value loss's scale out of the policy's features. The
 * trainer updates the parameter arrays in place between rollouts; {@link Evaluator}s read them.
 */
public final class ActorCritic {

  /** Initial scale of the actor's output layer: near-uniform first policy, maximal exploration. */
  private static final double ACTOR_OUTPUT_SCALE = 0.01;

  private final Mlp actor;
  private final Mlp critic;
  private final double[] actorParameters;
  private final double[] criticParameters;
  private Normalisation normalisation;
  private double valueShift; // the critic predicts (V - valueShift) / valueScale
  private double valueScale = 1;

  /** Fresh networks with the given hidden widths, initialised from {@code random}. */
  public ActorCritic(
      int observationSize, int actionCount, int[] hiddenSizes, SplittableRandom random) {
    this(observationSize, observationSize, actionCount, hiddenSizes, random);
  }

  /**
   * Fresh networks where the actor sees only the first {@code actorInputs} features of an
   * observation and the critic all of them (an asymmetric actor-critic: the critic may use
   * simulator state the deployed actor never sees, since only the actor is deployed).
   */
  public ActorCritic(
      int observationSize,
      int actorInputs,
      int actionCount,
      int[] hiddenSizes,
      SplittableRandom random) {
    if (actorInputs <= 0 || actorInputs > observationSize) {
      throw new IllegalArgumentException(
          "the actor's " + actorInputs + " inputs must be 1.." + observationSize);
    }
    this.actor = new Mlp(layerSizes(actorInputs, hiddenSizes, actionCount));
    this.critic = new Mlp(layerSizes(observationSize, hiddenSizes, 1));
    this.actorParameters = actor.newParameters();
    this.criticParameters = critic.newParameters();
    actor.initialise(actorParameters, random, ACTOR_OUTPUT_SCALE);
    critic.initialise(criticParameters, random, 1);
    this.normalisation = Normalisation.identity(observationSize);
  }

  private static int[] layerSizes(int input, int[] hidden, int output) {
    int[] sizes = new int[hidden.length + 2];
    sizes[0] = input;
    System.arraycopy(hidden, 0, sizes, 1, hidden.length);
    sizes[sizes.length - 1] = output;
    return sizes;
  }

  public Mlp actor() {
    return actor;
  }

  public Mlp critic() {
    return critic;
  }

  /** Features of an observation: what the critic sees. */
  public int observationSize() {
    return critic.inputSize();
  }

  /** The first this many features of an observation are what the actor sees. */
  public int actorInputSize() {
    return actor.inputSize();
  }

  public int actionCount() {
    return actor.outputSize();
  }

  /** A copy of the actor's parameters (layout: {@link Mlp}). */
  public double[] actorParameters() {
    return actorParameters.clone();
  }

  /** A copy of the critic's parameters (layout: {@link Mlp}). */
  public double[] criticParameters() {
    return criticParameters.clone();
  }

  public Normalisation normalisation() {
    return normalisation;
  }

  /**
   * Replaces the actor's parameters and the normalisation with a running policy's (read back from
   * its model): a warm start for fine-tuning. The critic stays as it was.
   */
  public void loadActor(double[] parameters, Normalisation frozen) {
    if (parameters.length != actorParameters.length) {
      throw new IllegalArgumentException(
          parameters.length
              + " actor parameters for a network of "
              + actorParameters.length
              + ": the hidden layers differ");
    }
    if (frozen.mean().length != observationSize()) {
      throw new IllegalArgumentException(
          "a normalisation of " + frozen.mean().length + " features for " + observationSize());
    }
    System.arraycopy(parameters, 0, actorParameters, 0, parameters.length);
    this.normalisation = frozen;
  }

  double[] liveActorParameters() {
    return actorParameters;
  }

  double[] liveCriticParameters() {
    return criticParameters;
  }

  void normalisation(Normalisation frozen) {
    this.normalisation = frozen;
  }

  /**
   * From now on the critic's output means {@code (V - shift) / scale}: {@link Evaluator#value}
   * returns V, and the critic is trained on targets normalised the same way.
   */
  void valueNormalisation(double shift, double scale) {
    this.valueShift = shift;
    this.valueScale = scale;
  }

  /** A return R as the critic's target: {@code (R - shift) / scale}. */
  double normalisedValue(double value) {
    return (value - valueShift) / valueScale;
  }

  public Evaluator newEvaluator() {
    return new Evaluator();
  }

  /** Runs the networks on raw observations; one per thread, reusing its buffers. */
  public final class Evaluator {
    private final double[] normalised = new double[observationSize()];
    private final double[] probabilities = new double[actionCount()];
    private final Mlp.Workspace actorSpace = actor.newWorkspace();
    private final Mlp.Workspace criticSpace = critic.newWorkspace();
    private double[] logits;
    private double logNormaliser;

    private Evaluator() {}

    /**
     * The policy's action probabilities for {@code observation[offset ..]} and the mask (masked
     * actions exactly 0), in a buffer reused by the next call.
     */
    public double[] probabilities(float[] observation, int offset, float[] mask, int maskOffset) {
      normalisation.apply(observation, offset, normalised, 0);
      logits = actor.forward(actorParameters, normalised, 0, actorSpace);
      logNormaliser = MaskedSoftmax.probabilities(logits, mask, maskOffset, probabilities);
      return probabilities;
    }

    /** {@code log p(action)} under the last {@link #probabilities} call, computed stably. */
    public double logProbability(int action) {
      return logits[action] - logNormaliser;
    }

    /** The critic's value of a raw observation (in return units, whatever the normalisation). */
    public double value(float[] observation, int offset) {
      normalisation.apply(observation, offset, normalised, 0);
      return valueShift
          + valueScale * critic.forward(criticParameters, normalised, 0, criticSpace)[0];
    }
  }
}
