package io.surge.sim.env;

import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.engine.Scenario;
import io.surge.sim.engine.Simulator;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.ActionMask;
import io.surge.state.ObservationSpec;
import io.surge.state.RequestIds;

/**
 * The training environment over the {@link Simulator}: one step per request decision, through the
 * same {@link io.surge.policy.DecisionStep} path as the Flink operator. A reward is credited to its
 * decision when the scheduler would learn the outcome (a shed at once, others after the completion
 * loop); at the end the episode drains, so every decision is credited exactly once.
 */
public final class EdgeServingEnvironment implements SchedulingEnvironment {

  private static final long WORKLOAD_STREAM = 0x3c6ef372fe94f82bL;
  private static final long DISTURBANCE_STREAM = 0xa54ff53a5f1d36f1L;

  private final EnvironmentConfig config;
  private final Simulator simulator;
  private final EnvStep step;
  private Scenario scenario;

  public EdgeServingEnvironment(EnvironmentConfig config) {
    this.config = config;
    this.simulator = new Simulator(config.simulator());
    this.step = new EnvStep(observationSize(), actionCount());
  }

  @Override
  public int observationSize() {
    return simulator.spec().dimension();
  }

  @Override
  public int actionCount() {
    return simulator.spec().actionCount();
  }

  /** The observation spec (its hash goes into the trained policy's metadata). */
  public ObservationSpec spec() {
    return simulator.spec();
  }

  /** The simulator, e.g. for the current episode's {@link Simulator#scoreboard()}. */
  public Simulator simulator() {
    return simulator;
  }

  /** The scenario the last {@link #reset} drew. */
  public Scenario scenario() {
    return scenario;
  }

  @Override
  public EnvStep reset(long seed) {
    scenario = scenarioFor(seed);
    step.clearCredits();
    simulator.start(
        scenario,
        (decision, outcome, variant, reward, latencyMs, nowNanos) -> step.credit(decision, reward));
    return advance();
  }

  @Override
  public EnvStep step(int action, double probability) {
    if (scenario == null || step.done()) {
      throw new IllegalStateException("no decision is pending: call reset(seed) first");
    }
    if (action < 0 || action >= actionCount() || !ActionMask.allowed(step.mask(), action)) {
      throw new IllegalArgumentException(
          "action " + action + " is not allowed by the mask of decision " + step.decision());
    }
    step.clearCredits();
    simulator.act(action, probability);
    return advance();
  }

  private EnvStep advance() {
    if (!simulator.advance()) {
      step.finish();
      return step;
    }
    System.arraycopy(simulator.observation(), 0, step.observation(), 0, observationSize());
    System.arraycopy(simulator.mask(), 0, step.mask(), 0, actionCount());
    step.pending(simulator.decisionIndex(), simulator.nowNanos());
    return step;
  }

  private Scenario scenarioFor(long seed) {
    int n = config.workloads().size();
    WorkloadSpec workload =
        config.workloads().get((int) Math.floorMod(RequestIds.mix(seed ^ WORKLOAD_STREAM), n));
    DisturbanceSpec disturbances =
        config.randomDisturbances() == null
            ? config.disturbances()
            : config
                .randomDisturbances()
                .draw(
                    RequestIds.mix(seed ^ DISTURBANCE_STREAM),
                    simulator.topology().serverCount(),
                    config.episodeSeconds());
    return new Scenario(workload, disturbances, config.episodeSeconds(), seed);
  }
}
