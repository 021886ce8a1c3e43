package io.surge.policy;

import io.surge.state.RequestIds;

/**
 * Turns a probability vector and a mask into an action without allocating. Masked actions are never
 * chosen, whatever mass the model gave them: the allowed probabilities are renormalised, and the
 * probability returned is the chosen action's renormalised one, i.e. the true behaviour
 * probability. If the allowed actions have no mass at all, the choice is uniform among them.
 */
public final class ActionSampler {

  /** Keeps the sampling stream apart from other users of the request key. */
  private static final long SALT = 0x5eed_5ca1_ab1e_0001L;

  /** Keeps ε-greedy's explore-or-not draw apart from the sampling draw of the same request. */
  private static final long EXPLORE_SALT = 0x0e9b_1035_ee1d_0002L;

  private ActionSampler() {}

  /** A uniform number in [0, 1), a pure function of the seed. */
  public static double uniform(long seed) {
    return (RequestIds.mix(seed ^ SALT) >>> 11) * 0x1.0p-53;
  }

  /** Samples an action with the request's seed. */
  public static void sample(float[] probabilities, float[] mask, long seed, Decision out) {
    int actions = mask.length;
    double total = allowedMass(probabilities, mask);
    double u = uniform(seed);
    if (total <= 0) {
      uniformAmongAllowed(mask, u, out);
      return;
    }
    double target = u * total;
    double cumulative = 0;
    int last = -1;
    for (int a = 0; a < actions; a++) {
      double p = mass(probabilities, mask, a);
      if (p <= 0) {
        continue;
      }
      cumulative += p;
      last = a;
      if (target < cumulative) {
        out.set(a, p / total);
        return;
      }
    }
    out.set(last, mass(probabilities, mask, last) / total); // rounding at the top end
  }

  /**
   * ε-greedy: with probability {@code epsilon} (a draw from the request's seed) an action sampled
   * from the probabilities as {@link #sample} does, else the {@link #argmax}. The probability
   * returned is the mixture's for the action taken, (1 − ε)·[it is the argmax] + ε·π(a), which is
   * the true behaviour probability: an argmax job that explores a little logs decisions that PPO's
   * importance ratios can use (DESIGN.md section 10).
   */
  public static void epsilonGreedy(
      float[] probabilities, float[] mask, long seed, double epsilon, Decision out) {
    argmax(probabilities, mask, out);
    int greedy = out.action();
    double greedyP = out.probability();
    if (uniform(seed ^ EXPLORE_SALT) < epsilon) {
      sample(probabilities, mask, seed, out);
    }
    int a = out.action();
    double p = a == greedy ? greedyP : out.probability();
    out.set(a, (a == greedy ? 1 - epsilon : 0) + epsilon * p);
  }

  /** The allowed action of highest probability, ties to the lowest index. */
  public static void argmax(float[] probabilities, float[] mask, Decision out) {
    double total = allowedMass(probabilities, mask);
    if (total <= 0) {
      uniformAmongAllowed(mask, 0, out);
      return;
    }
    int best = -1;
    double bestP = -1;
    for (int a = 0; a < mask.length; a++) {
      double p = mass(probabilities, mask, a);
      if (Masks.allowed(mask, a) && p > bestP) {
        best = a;
        bestP = p;
      }
    }
    out.set(best, bestP / total);
  }

  private static double allowedMass(float[] probabilities, float[] mask) {
    double total = 0;
    for (int a = 0; a < mask.length; a++) {
      total += mass(probabilities, mask, a);
    }
    return total;
  }

  /** The usable mass of an action: 0 when masked, negative or NaN. */
  private static double mass(float[] probabilities, float[] mask, int a) {
    float p = probabilities[a];
    return Masks.allowed(mask, a) && p > 0 ? p : 0;
  }

  private static void uniformAmongAllowed(float[] mask, double u, Decision out) {
    int allowed = 0;
    for (int a = 0; a < mask.length; a++) {
      if (Masks.allowed(mask, a)) {
        allowed++;
      }
    }
    if (allowed == 0) {
      out.set(mask.length - 1, 1.0); // shed, by contract always allowed
      return;
    }
    int pick = (int) (u * allowed);
    for (int a = 0; a < mask.length; a++) {
      if (Masks.allowed(mask, a) && pick-- == 0) {
        out.set(a, 1.0 / allowed);
        return;
      }
    }
  }
}
