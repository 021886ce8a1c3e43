package io.surge.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.surge.train.ppo.PpoConfig;
import io.surge.train.ppo.TrainingSummary;

/**
 * {@code summary.json} of {@code surge train}: the plan (what to rerun), the figures (steps, wall
 * time, steps/s, last rewards) and the machine's load average beside the timing. Effective accuracy
 * is a fraction; the mean reward per decision is in the catalog's accuracy units.
 */
public final class TrainingSummaryJson {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private TrainingSummaryJson() {}

  public static String write(TrainedPolicy policy, double loadAverage) {
    return write(policy, loadAverage, null, 0);
  }

  /**
   * @param init the policy model a fine-tuning run started from ({@code --init}), or null
   * @param criticSteps with {@code init}: the critic-only steps before the actor moved
   */
  public static String write(
      TrainedPolicy policy, double loadAverage, String init, long criticSteps) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode plan = root.putObject("plan");
    plan(plan, policy.plan());
    if (init == null) {
      plan.putNull("init");
    } else {
      plan.put("init", init);
      plan.put("critic_steps", criticSteps);
    }
    TrainingSummary summary = policy.summary();
    ObjectNode figures = root.putObject("figures");
    figures.put("updates", summary.updates());
    figures.put("environment_steps", summary.environmentSteps());
    number(figures, "wall_seconds", summary.elapsedSeconds());
    number(figures, "steps_per_second", summary.environmentSteps() / summary.elapsedSeconds());
    figures.put("stopped_by_wall_clock", summary.stoppedByWallClock());
    TrainingProgress last = policy.lastProgress();
    if (last != null) {
      number(figures, "last_mean_reward_per_decision", last.update().meanRewardPerDecision());
      number(figures, "last_effective_accuracy", last.effectiveAccuracy());
      number(figures, "last_entropy", last.update().entropy());
    }
    number(root, "load_average", loadAverage);
    root.put("spec_hash", policy.spec().hash());
    var variants = root.putArray("variants");
    policy.variantNames().forEach(variants::add);
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write summary.json", e);
    }
  }

  private static void plan(ObjectNode node, TrainingPlan plan) {
    node.put("calibration", plan.calibration().source());
    node.put("service", plan.service());
    var workloads = node.putArray("workloads");
    plan.workloads().forEach(w -> workloads.add(w.toSpec()));
    if (plan.warmUp() != null) {
      ObjectNode warmUp = node.putObject("warm_up");
      var first = warmUp.putArray("workloads");
      plan.warmUp().workloads().forEach(w -> first.add(w.toSpec()));
      warmUp.put("steps", plan.warmUp().steps());
    }
    if (plan.disturbances().isEmpty()) {
      node.putNull("disturb");
    } else {
      node.put("disturb", plan.disturbances().toSpec());
    }
    node.put("random_slowdowns", plan.randomSlowdowns() != null);
    node.put("episode_seconds", plan.episodeSeconds());
    node.put("history", plan.estimators().historyLength());
    node.put("privileged", plan.privileged());
    node.put("steps", plan.steps());
    node.put("seed", plan.seed());
    if (plan.wallClockCap() == null) {
      node.putNull("wall_clock_cap_seconds");
    } else {
      node.put("wall_clock_cap_seconds", plan.wallClockCap().toMillis() / 1000.0);
    }
    PpoConfig ppo = plan.ppo();
    ObjectNode p = node.putObject("ppo");
    var hidden = p.putArray("hidden_layers");
    ppo.hiddenLayers().forEach(hidden::add);
    p.put("environments", ppo.environments());
    p.put("threads", ppo.threads());
    p.put("rollout_decisions", ppo.rolloutDecisions());
    p.put("epochs", ppo.epochs());
    p.put("minibatch_size", ppo.minibatchSize());
    p.put("learning_rate", ppo.learningRate());
    p.put("gamma", ppo.gamma());
    p.put("discount_seconds", ppo.discountSeconds());
    p.put("gae_lambda", ppo.gaeLambda());
    p.put("gae_seconds", ppo.gaeSeconds());
    p.put("normalise_values", ppo.normaliseValues());
    p.put("entropy_coefficient", ppo.entropyCoefficient());
    // the privileged features the critic alone sees (--privileged-critic); 0: a symmetric one
    p.put("critic_only_features", ppo.criticOnlyFeatures());
  }

  private static void number(ObjectNode node, String name, double value) {
    if (Double.isFinite(value)) {
      node.put(name, value);
    } else {
      node.putNull(name);
    }
  }
}
