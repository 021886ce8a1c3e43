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
 * that followed (each request's reward credited to its own decision, as the environment does). For
 * DAgger ({@link PolicyDistillation}) another policy may act while the teacher only labels the
 * states that policy reaches.
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
    Demonstrations demos =
        new Demonstrations(simulator.spec().dimension(), simulator.spec().actionCount());
    record(simulator, null, teacher, scenarios, gamma, rewardScale, demos);
    return demos;
  }

  /**
   * Appends to {@code demos} the teacher's label of every decision {@code actor} makes in {@code
   * scenarios}, with the discounted return of the actor's rewards that followed.
   *
   * @param actor makes the acting policy for the simulator; null: the teacher acts (closed after
   *     each scenario, as the teacher is)
   * @return the share of decisions on which the actor chose the teacher's action
   */
  public static double record(
      Simulator simulator,
      Function<Simulator, SchedulingPolicy> actor,
      Function<Simulator, SchedulingPolicy> teacher,
      List<Scenario> scenarios,
      double gamma,
      double rewardScale,
      Demonstrations demos) {
    int d = simulator.spec().dimension();
    int a = simulator.spec().actionCount();
    long agreed = 0;
    long decisions = 0;
    for (Scenario scenario : scenarios) {
      Recorder recorder =
          new Recorder(
              teacher.apply(simulator), actor == null ? null : actor.apply(simulator), d, a);
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
            recorder.observations, i * d, recorder.masks, i * a, recorder.labels[i], returns[i]);
      }
      agreed += recorder.agreed;
      decisions += recorder.size;
      recorder.close();
    }
    return decisions == 0 ? Double.NaN : (double) agreed / decisions;
  }

  /** The actor, recording what it saw and what the teacher would have chosen there. */
  private static final class Recorder implements SchedulingPolicy {
    private final SchedulingPolicy teacher;
    private final SchedulingPolicy actor;
    private final Decision label = new Decision();
    private final int d;
    private final int a;
    float[] observations = new float[0];
    float[] masks = new float[0];
    int[] labels = new int[0];
    int size;
    long agreed;

    /** {@code actor} null: the teacher acts. */
    Recorder(SchedulingPolicy teacher, SchedulingPolicy actor, int d, int a) {
      this.teacher = teacher;
      this.actor = actor;
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
      teacher.decide(observation, mask, requestSeed, context, label);
      if (actor == null) {
        out.set(label.action(), label.probability());
      } else {
        actor.decide(observation, mask, requestSeed, context, out);
      }
      if (size == labels.length) {
        int n = Math.max(1024, size * 2);
        observations = Arrays.copyOf(observations, n * d);
        masks = Arrays.copyOf(masks, n * a);
        labels = Arrays.copyOf(labels, n);
      }
      System.arraycopy(observation, 0, observations, size * d, d);
      System.arraycopy(mask, 0, masks, size * a, a);
      labels[size++] = label.action();
      if (label.action() == out.action()) {
        agreed++;
      }
    }

    @Override
    public String name() {
      return "recording " + teacher.name();
    }

    @Override
    public void close() {
      teacher.close();
      if (actor != null) {
        actor.close();
      }
    }
  }
}
