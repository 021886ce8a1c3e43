package io.surge.train;

import io.surge.policy.Decision;
import io.surge.policy.DecisionContext;
import io.surge.policy.SchedulingPolicy;
import io.surge.sim.engine.Scenario;
import io.surge.sim.engine.Simulator;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.train.ppo.Demonstrations;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Records a teacher policy's decisions in the simulator, for behaviour cloning before PPO: per
 * decision the observation and mask it saw, its action, and the discounted return of the rewards
 * that followed (each request's reward credited to its own decision, as the environment does).
 */
public final class TeacherDemonstrations {

  private TeacherDemonstrations() {}

  /**
   * @param config the training simulator (its rewards are the ones PPO will optimise)
   * @param teacher makes the teacher for a simulator (e.g. a baseline by name)
   * @param scenarios the episodes to record, in order
   * @param gamma PPO's discount
   * @param rewardScale PPO's reward scale
   */
  public static Demonstrations record(
      SimulatorConfig config,
      Function<Simulator, SchedulingPolicy> teacher,
      List<Scenario> scenarios,
      double gamma,
      double rewardScale) {
    Simulator simulator = new Simulator(config);
    int d = simulator.spec().dimension();
    int a = simulator.spec().actionCount();
    Demonstrations demos = new Demonstrations(d, a);
    for (Scenario scenario : scenarios) {
      Recorder recorder = new Recorder(teacher.apply(simulator), d, a);
      double[][] rewards = {new double[1024]};
      simulator.run(
          recorder,
          scenario,
          (decision, outcome, variant, reward, latencyMs, nowNanos) -> {
            int i = Math.toIntExact(decision);
            if (i >= rewards[0].length) {
              rewards[0] = Arrays.copyOf(rewards[0], Math.max(i + 1, rewards[0].length * 2));
            }
            rewards[0][i] = reward * rewardScale;
          });
      double following = 0;
      double[] returns = new double[recorder.size];
      for (int i = recorder.size - 1; i >= 0; i--) {
        following = (i < rewards[0].length ? rewards[0][i] : 0) + gamma * following;
        returns[i] = following;
      }
      for (int i = 0; i < recorder.size; i++) {
        demos.add(
            recorder.observations, i * d, recorder.masks, i * a, recorder.actions[i], returns[i]);
      }
    }
    return demos;
  }

  /** The teacher, recording what it saw and chose. */
  private static final class Recorder implements SchedulingPolicy {
    private final SchedulingPolicy teacher;
    private final int d;
    private final int a;
    float[] observations = new float[0];
    float[] masks = new float[0];
    int[] actions = new int[0];
    int size;

    Recorder(SchedulingPolicy teacher, int d, int a) {
      this.teacher = teacher;
      this.d = d;
      this.a = a;
    }

    @Override
    public void decide(
        float[] observation,
        float[] mask,
        long requestSeed,
        DecisionContext context,
        Decision out) {
      teacher.decide(observation, mask, requestSeed, context, out);
      if (size == actions.length) {
        int n = Math.max(1024, size * 2);
        observations = Arrays.copyOf(observations, n * d);
        masks = Arrays.copyOf(masks, n * a);
        actions = Arrays.copyOf(actions, n);
      }
      System.arraycopy(observation, 0, observations, size * d, d);
      System.arraycopy(mask, 0, masks, size * a, a);
      actions[size++] = out.action();
    }

    @Override
    public String name() {
      return "recording " + teacher.name();
    }
  }
}
