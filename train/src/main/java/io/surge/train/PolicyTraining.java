package io.surge.train;

import io.surge.policy.SchedulingPolicy;
import io.surge.policy.baseline.Policies;
import io.surge.sim.env.EdgeServingEnvironment;
import io.surge.sim.env.EnvironmentConfig;
import io.surge.state.ObservationSpec;
import io.surge.train.ppo.Demonstrations;
import io.surge.train.ppo.PpoTrainer;
import io.surge.train.ppo.TrainingListener;
import io.surge.train.ppo.TrainingSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Trains a policy in the simulator for a {@link TrainingPlan}: PPO over {@link
 * EdgeServingEnvironment}s built from the plan, as {@code surge train} runs it.
 *
 * <pre>{@code
 * TrainedPolicy policy = PolicyTraining.run(plan, progress -> bar.stepTo(...));
 * policy.export(Path.of("out/policy.onnx"), 1, plan.describeWorkloads());
 * }</pre>
 */
public final class PolicyTraining {

  private PolicyTraining() {}

  /** Passes of behaviour cloning over the teacher's decisions, and its Adam step size. */
  static final int IMITATION_EPOCHS = 3;

  static final double IMITATION_LEARNING_RATE = 1e-3;

  /**
   * Trains until the plan's step budget (or its wall-clock cap); tells {@code progress} per update.
   */
  public static TrainedPolicy run(TrainingPlan plan, Consumer<TrainingProgress> progress) {
    return run(plan, null, progress);
  }

  /**
   * As {@link #run(TrainingPlan, Consumer)}, continuing from {@code warmStart} (null: a uniform
   * policy); the plan's hidden layers must be the warm start's, and its critic steps come on top of
   * the plan's step budget.
   */
  public static TrainedPolicy run(
      TrainingPlan plan, WarmStart warmStart, Consumer<TrainingProgress> progress) {
    EnvironmentConfig config = plan.environmentConfig();
    List<EdgeServingEnvironment> environments = new ArrayList<>();
    List<SchedulingPolicy> burnIns = new ArrayList<>();
    try {
      PpoTrainer trainer =
          new PpoTrainer(
              () -> {
                EdgeServingEnvironment environment = environment(config, warmStart, burnIns);
                environments.add(environment);
                return environment;
              },
              plan.ppo(),
              plan.seed());
      if (plan.teacher() != null) {
        Demonstrations demos =
            TeacherDemonstrations.record(
                plan.simulatorConfig(),
                simulator ->
                    Policies.byName(plan.teacher(), simulator.topology(), simulator.latency()),
                plan.demonstrationEpisodes(),
                plan.ppo().gamma(),
                plan.ppo().rewardScale());
        trainer.imitate(demos, IMITATION_EPOCHS, IMITATION_LEARNING_RATE);
      }
      EffectiveAccuracyMeter meter = new EffectiveAccuracyMeter(environments);
      TrainingProgress[] last = new TrainingProgress[1];
      TrainingListener listener =
          report -> {
            last[0] = new TrainingProgress(report, meter.sinceLastRead());
            progress.accept(last[0]);
          };
      ObservationSpec actorSpec =
          actorSpec(environments.get(0).spec(), plan.ppo().criticOnlyFeatures());
      if (warmStart != null) {
        if (!actorSpec.hash().equals(warmStart.actor().specHash())) {
          throw new IllegalArgumentException(
              "the warm start's observation spec "
                  + warmStart.actor().specHash()
                  + " is not the plan's "
                  + actorSpec.hash());
        }
        trainer.startFrom(warmStart.actor().parameters(), warmStart.actor().normalisation());
        trainer.trainCritic(warmStart.criticSteps(), listener);
        WarmStart.LoggedSteps logged = warmStart.logged();
        if (logged != null) {
          trainer.trainOnLogged(
              logged.transitions(),
              logged.criticEpochs(),
              logged.epochs(),
              plan.ppo().learningRate(),
              listener);
        }
      }
      TrainingSummary summary = trainer.train(plan.steps(), plan.wallClockCap(), listener);
      return new TrainedPolicy(
          plan,
          trainer.networks(),
          trainer.learningCurve(),
          summary,
          last[0],
          actorSpec,
          environments.get(0).simulator().topology().actionNames());
    } finally {
      burnIns.forEach(SchedulingPolicy::close);
    }
  }

  /** An environment of the plan, with the warm start's burn-in when it has one. */
  private static EdgeServingEnvironment environment(
      EnvironmentConfig config, WarmStart warmStart, List<SchedulingPolicy> burnIns) {
    if (warmStart == null || warmStart.burnInSeconds() <= 0) {
      return new EdgeServingEnvironment(config);
    }
    SchedulingPolicy burnIn = warmStart.burnInPolicy().get();
    burnIns.add(burnIn);
    return new EdgeServingEnvironment(config, warmStart.burnInSeconds(), burnIn);
  }

  /**
   * What the exported actor observes: the environment's spec, or, when the privileged features go
   * to the critic only, the same spec without them (the one the scheduler job builds).
   */
  private static ObservationSpec actorSpec(ObservationSpec spec, int criticOnlyFeatures) {
    if (criticOnlyFeatures == 0) {
      return spec;
    }
    if (criticOnlyFeatures != spec.privilegedFeatures().size()) {
      throw new IllegalArgumentException(
          "critic-only features must be the spec's "
              + spec.privilegedFeatures().size()
              + " privileged ones, not "
              + criticOnlyFeatures);
    }
    return new ObservationSpec(spec.variants(), spec.settings());
  }
}
