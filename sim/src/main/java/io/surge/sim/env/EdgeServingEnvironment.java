package io.surge.sim.env;

import io.surge.policy.SchedulingPolicy;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.engine.Scenario;
import io.surge.sim.engine.Simulator;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.ActionMask;
import io.surge.state.ObservationSpec;
import io.surge.state.RequestIds;
import java.util.List;

/**
 * The training environment over the {@link Simulator}: one step per request decision, through the
 * same {@link io.surge.policy.DecisionStep} path as the Flink operator. A reward is credited to its
 * decision when the scheduler would learn the outcome (a shed at once, others after the completion
 * loop); at the end the episode drains, so every decision is credited exactly once.
 */
public final class EdgeServingEnvironment implements SchedulingEnvironment {

  private static final long WORKLOAD_STREAM = 0x3c6ef372fe94f82bL;
  private static final long DISTURBANCE_STREAM = 0xa54ff53a5f1d36f1L;

  private static final long BURN_IN_STREAM = 0x510e527fade682d1L;

  private final EnvironmentConfig config;
  private final Simulator simulator;
  private final EnvStep step;
  private final double maxBurnInSeconds;
  private final SchedulingPolicy burnInPolicy;
  private Scenario scenario;
  private long stepsTaken;

  /** Decision index (in the simulator) of the episode's first step; earlier ones are burn-in. */
  private long firstStep;

  public EdgeServingEnvironment(EnvironmentConfig config) {
    this(config, 0, null);
  }

  /**
   * An environment whose episodes start after a burn-in: from reset, {@code burnInPolicy} decides
   * for a time drawn per episode (from its seed) uniformly in [0, {@code maxBurnInSeconds}), and
   * only then are decisions steps. Fine-tuning then sees the loaded site the running policy makes,
   * not only the transient after an empty start (DESIGN.md section 10); burn-in decisions get no
   * credit.
   */
  public EdgeServingEnvironment(
      EnvironmentConfig config, double maxBurnInSeconds, SchedulingPolicy burnInPolicy) {
    if (!(maxBurnInSeconds >= 0) || maxBurnInSeconds >= config.episodeSeconds()) {
      throw new IllegalArgumentException(
          "burn-in must be in [0, episode length): " + maxBurnInSeconds);
    }
    if (maxBurnInSeconds > 0 && burnInPolicy == null) {
      throw new IllegalArgumentException("a burn-in needs a policy");
    }
    this.config = config;
    this.simulator = new Simulator(config.simulator());
    this.step = new EnvStep(observationSize(), actionCount());
    this.maxBurnInSeconds = maxBurnInSeconds;
    this.burnInPolicy = burnInPolicy;
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
    firstStep = Long.MAX_VALUE; // no credit during the burn-in
    simulator.start(
        scenario,
        (decision, outcome, variant, reward, latencyMs, nowNanos) -> {
          if (decision >= firstStep) {
            step.credit(decision - firstStep, reward);
          }
        });
    long burnInNanos =
        Math.round(
            maxBurnInSeconds * 1e9 * ((RequestIds.mix(seed ^ BURN_IN_STREAM) >>> 11) * 0x1.0p-53));
    while (burnInNanos > 0) {
      if (!simulator.advance()) {
        step.finish();
        return step;
      }
      if (simulator.nowNanos() >= burnInNanos) {
        firstStep = simulator.decisionIndex();
        return expose();
      }
      simulator.decide(burnInPolicy);
    }
    firstStep = 0;
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
    stepsTaken++;
    simulator.act(action, probability);
    return advance();
  }

  private EnvStep advance() {
    if (!simulator.advance()) {
      step.finish();
      return step;
    }
    return expose();
  }

  private EnvStep expose() {
    System.arraycopy(simulator.observation(), 0, step.observation(), 0, observationSize());
    System.arraycopy(simulator.mask(), 0, step.mask(), 0, actionCount());
    step.pending(simulator.decisionIndex() - firstStep, simulator.nowNanos());
    return step;
  }

  private Scenario scenarioFor(long seed) {
    List<WorkloadSpec> workloads =
        config.warmUp() != null && stepsTaken < config.warmUp().steps()
            ? config.warmUp().workloads()
            : config.workloads();
    int n = workloads.size();
    WorkloadSpec workload =
        workloads.get((int) Math.floorMod(RequestIds.mix(seed ^ WORKLOAD_STREAM), n));
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
