package io.surge.train.online;

import io.surge.policy.DecisionStep;
import io.surge.policy.SchedulingPolicy;
import io.surge.schema.ResultStatus;
import io.surge.sim.engine.ExecutionTrace;
import io.surge.sim.engine.Scenario;
import io.surge.sim.engine.Simulator;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.state.ServiceTopology;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the job would log while a policy runs on a site, made in the simulator instead: one {@link
 * LoggedDecision} per request (the observation and mask the policy saw, its action and behaviour
 * probability, the effective-accuracy reward), one {@link ObservedCompletion} per answered one
 * (server, variant, latency) and one {@link ObservedExecutions} per batch a server ran (what its
 * statistics extension would report). For benchmarks and tests of the learner without a job; the
 * real feed is {@code cli/learn/LearnerFeed}.
 */
public final class SimulatedExperience {

  /**
   * Decisions in time order, the completions of the answered requests, and the servers' executions
   * (one per batch, reported when it ends).
   */
  public record Log(
      List<LoggedDecision> decisions,
      List<ObservedCompletion> completions,
      List<ObservedExecutions> executions) {}

  private SimulatedExperience() {}

  /**
   * @param config the site (its rewards should be effective accuracy, as the job logs them)
   * @param scenario the workload, disturbances (e.g. a drift), length and seed
   * @param policy decides every request (in the job's mode: ARGMAX or SAMPLE)
   * @param startMillis the wall-clock time the run's time 0 maps to
   */
  public static Log record(
      SimulatorConfig config,
      Scenario scenario,
      SchedulingPolicy policy,
      long policyVersion,
      long startMillis) {
    Simulator simulator = new Simulator(config);
    ServiceTopology topology = simulator.topology();
    String service = config.service();
    String specHash = simulator.spec().hash();
    List<Pending> decided = new ArrayList<>();
    double[][] rewards = {new double[1024]};
    long[][] completedAt = {new long[1024]};
    List<ObservedCompletion> completions = new ArrayList<>();
    List<ObservedExecutions> executions = new ArrayList<>();
    simulator.trace(
        new ExecutionTrace() {
          @Override
          public void onExecution(
              int server, int variant, int batchSize, long startNanos, long endNanos) {
            executions.add(
                new ObservedExecutions(
                    topology.serverName(server),
                    topology.variantModel(variant),
                    batchSize,
                    1,
                    (endNanos - startNanos) / 1e6,
                    startMillis + endNanos / 1_000_000));
          }

          @Override
          public void onMember(long decision, long enqueuedAtNanos) {}
        });
    simulator.start(
        scenario,
        (decision, outcome, variant, reward, latencyMs, nowNanos) -> {
          int i = Math.toIntExact(decision);
          if (i >= rewards[0].length) {
            int n = Math.max(i + 1, rewards[0].length * 2);
            rewards[0] = Arrays.copyOf(rewards[0], n);
            completedAt[0] = Arrays.copyOf(completedAt[0], n);
          }
          rewards[0][i] = reward;
          long at = startMillis + nowNanos / 1_000_000;
          completedAt[0][i] = at;
          // a shed is heard inside the decision, before it is recorded: it has no completion
          if (variant < 0 || outcome == ResultStatus.SHED || i >= decided.size()) {
            return;
          }
          Pending p = decided.get(i);
          if (p.server >= 0) {
            completions.add(
                new ObservedCompletion(
                    requestId(i),
                    service,
                    topology.serverName(p.server),
                    topology.variantName(variant),
                    outcome.name(),
                    latencyMs,
                    at));
          }
        });
    while (simulator.advance()) {
      float[] observation = simulator.observation().clone();
      float[] mask = simulator.mask().clone();
      long decidedAt = startMillis + simulator.nowNanos() / 1_000_000;
      simulator.decide(policy);
      DecisionStep step = simulator.lastStep();
      decided.add(
          new Pending(
              observation, mask, step.action(), step.probability(), step.server(), decidedAt));
    }
    List<LoggedDecision> decisions = new ArrayList<>(decided.size());
    for (int i = 0; i < decided.size(); i++) {
      Pending p = decided.get(i);
      decisions.add(
          new LoggedDecision(
              requestId(i),
              service,
              policyVersion,
              specHash,
              p.observation,
              p.mask,
              p.action,
              p.probability,
              i < rewards[0].length ? rewards[0][i] : 0,
              p.decidedAtMillis,
              i < completedAt[0].length ? completedAt[0][i] : p.decidedAtMillis));
    }
    return new Log(decisions, completions, executions);
  }

  private static String requestId(int decision) {
    return "sim-" + decision;
  }

  private record Pending(
      float[] observation,
      float[] mask,
      int action,
      double probability,
      int server,
      long decidedAtMillis) {}
}
