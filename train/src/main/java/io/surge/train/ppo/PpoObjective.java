package io.surge.train.ppo;

import io.surge.train.nn.MaskedSoftmax;
import io.surge.train.nn.Mlp;

/**
 * The PPO loss of a minibatch and its exact gradient with respect to the actor's and the critic's
 * parameters: the mean over samples of
 *
 * <pre>
 *   - min(r A, clip(r, 1 - eps, 1 + eps) A)       r = p(a) / p_behaviour(a), masked softmax
 *   + c_v * 0.5 * (V - R)^2                       or its clipped form when valueClip > 0;
 *                                                 V and R normalised when normaliseValues
 *   - c_e * H(p)                                  entropy over the allowed actions
 * </pre>
 *
 * Gradients flow back through the networks sample by sample (nothing is kept per sample).
 */
final class PpoObjective {

  private final ActorCritic networks;
  private final PpoConfig config;
  private final Mlp.Workspace actorSpace;
  private final Mlp.Workspace criticSpace;
  private final double[] probabilities;
  private final double[] logitGradient;
  private final double[] valueGradient = new double[1];

  PpoObjective(ActorCritic networks, PpoConfig config) {
    this.networks = networks;
    this.config = config;
    this.actorSpace = networks.actor().newWorkspace();
    this.criticSpace = networks.critic().newWorkspace();
    this.probabilities = new double[networks.actionCount()];
    this.logitGradient = new double[networks.actionCount()];
  }

  /**
   * The loss over samples {@code order[from .. to)} of {@code batch}; <em>adds</em> its gradient to
   * {@code actorGradient} and {@code criticGradient} and its diagnostics to {@code statistics}.
   */
  double lossAndGradient(
      RolloutBatch batch,
      int[] order,
      int from,
      int to,
      double[] actorGradient,
      double[] criticGradient,
      UpdateStatistics statistics) {
    double weight = 1.0 / (to - from);
    double loss = 0;
    for (int k = from; k < to; k++) {
      int i = order[k];
      loss += weight * policyTerm(batch, i, weight, actorGradient, statistics);
      loss += weight * valueTerm(batch, i, weight, criticGradient, statistics);
    }
    return loss;
  }

  /** Surrogate and entropy terms of sample {@code i}; back-propagates {@code weight} times them. */
  private double policyTerm(
      RolloutBatch batch, int i, double weight, double[] gradient, UpdateStatistics statistics) {
    Mlp actor = networks.actor();
    double[] parameters = networks.liveActorParameters();
    int actions = batch.actionCount;
    int maskOffset = i * actions;
    double[] logits =
        actor.forward(parameters, batch.observations, i * batch.observationSize, actorSpace);
    double logZ = MaskedSoftmax.probabilities(logits, batch.masks, maskOffset, probabilities);
    int action = batch.actions[i];
    double logRatio = logits[action] - logZ - batch.behaviourLogProbabilities[i];
    double ratio = StrictMath.exp(logRatio);
    double advantage = batch.advantages[i];
    double eps = config.clipRatio();
    double clippedRatio = Math.max(1 - eps, Math.min(1 + eps, ratio));
    double surrogate = Math.min(ratio * advantage, clippedRatio * advantage);
    // the unclipped term is the minimum (and carries gradient) unless the ratio has left the
    // trust region in the direction the advantage rewards
    boolean active = advantage >= 0 ? ratio <= 1 + eps : ratio >= 1 - eps;
    double surrogateScale = active ? -advantage * ratio : 0;

    double entropy = 0;
    for (int a = 0; a < actions; a++) {
      if (probabilities[a] > 0) {
        entropy -= probabilities[a] * (logits[a] - logZ);
      }
    }
    double c = config.entropyCoefficient();
    for (int a = 0; a < actions; a++) {
      double p = probabilities[a];
      // d log p(action) / d z_a = [a == action] - p_a;  d H / d z_a = -p_a (log p_a + H)
      double dSurrogate = surrogateScale * ((a == action ? 1 : 0) - p);
      double dEntropy = p > 0 ? -p * (logits[a] - logZ + entropy) : 0;
      logitGradient[a] = weight * (dSurrogate - c * dEntropy);
    }
    actor.backward(parameters, actorSpace, logitGradient, gradient);

    statistics.policyLoss -= surrogate;
    statistics.entropy += entropy;
    statistics.approximateKl += (ratio - 1) - logRatio;
    statistics.clipped += Math.abs(ratio - 1) > eps ? 1 : 0;
    statistics.samples++;
    return -surrogate - c * entropy;
  }

  /** Weighted value loss of sample {@code i}; back-propagates {@code weight} times it. */
  private double valueTerm(
      RolloutBatch batch, int i, double weight, double[] gradient, UpdateStatistics statistics) {
    Mlp critic = networks.critic();
    double[] parameters = networks.liveCriticParameters();
    double value =
        critic.forward(parameters, batch.observations, i * batch.observationSize, criticSpace)[0];
    double target = networks.normalisedValue(batch.returns[i]);
    double error = value - target;
    double loss = 0.5 * error * error;
    double dValue = error;
    double clip = config.valueClip();
    if (clip > 0) {
      double old = networks.normalisedValue(batch.values[i]);
      double change = value - old;
      double clippedError = old + Math.max(-clip, Math.min(clip, change)) - target;
      double clippedLoss = 0.5 * clippedError * clippedError;
      if (clippedLoss > loss) {
        loss = clippedLoss;
        dValue = Math.abs(change) < clip ? clippedError : 0;
      }
    }
    double c = config.valueCoefficient();
    valueGradient[0] = weight * c * dValue;
    critic.backward(parameters, criticSpace, valueGradient, gradient);
    statistics.valueLoss += loss;
    return c * loss;
  }
}
