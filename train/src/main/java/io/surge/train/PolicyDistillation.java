package io.surge.train;

import io.surge.policy.SchedulingPolicy;
import io.surge.policy.onnx.OnnxPolicy;
import io.surge.policy.onnx.PolicyRejectedException;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.disturb.RandomDisturbances;
import io.surge.sim.engine.Scenario;
import io.surge.sim.engine.Simulator;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.sim.env.EdgeServingEnvironment;
import io.surge.sim.env.EnvironmentConfig;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.ObservationSpec;
import io.surge.train.export.PolicyExporter;
import io.surge.train.export.PolicyModelWriter;
import io.surge.train.ppo.ActorCritic;
import io.surge.train.ppo.Demonstrations;
import io.surge.train.ppo.PpoConfig;
import io.surge.train.ppo.PpoTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Policy distillation by DAgger (Ross, Gordon and Bagnell, 2011): one student network learns to act
 * as several expert policies, each on its own workloads. PPO on a mix of light and bursty loads
 * learns one regime or the other, never both (docs/BENCHMARKS.md), while a policy trained on one
 * regime alone does learn it; the observation tells the regimes apart (the arrival rates over 1 s
 * and 10 s), so imitation can merge the experts into one network.
 *
 * <p>Round 0 records each expert acting on its own workloads. Each later round lets the student act
 * (argmax, as the job serves it), has each expert label the states the student reaches on that
 * expert's workloads, adds them to everything recorded so far, and fits a fresh student to it all
 * (masked cross-entropy on the labels; the critic on the returns that followed). A last pass
 * measures how often the final student agrees with each expert on its own workloads.
 */
public final class PolicyDistillation {

  private PolicyDistillation() {}

  /**
   * An expert and the workloads on which the student should act as it does.
   *
   * @param name for reports, e.g. a baseline's name or the model file's
   * @param policy makes the expert for a simulator (one per episode; closed after it)
   */
  public record Expert(
      String name, Function<Simulator, SchedulingPolicy> policy, List<WorkloadSpec> workloads) {
    public Expert {
      workloads = List.copyOf(workloads);
      if (workloads.isEmpty()) {
        throw new IllegalArgumentException("expert " + name + " needs at least one workload");
      }
    }

    /** A policy model (ONNX) of the student's observation spec, served in argmax. */
    public static Expert ofModel(String name, byte[] model, List<WorkloadSpec> workloads) {
      return new Expert(name, simulator -> load(name, model, simulator), workloads);
    }
  }

  /**
   * @param rounds DAgger rounds after round 0 (0: behaviour cloning of the experts' own runs only)
   * @param episodes episodes per workload per round (alternately undisturbed and with a random
   *     slow-down when {@code slowdowns} is set)
   * @param episodeSeconds simulated seconds of arrivals per episode
   * @param epochs passes over the aggregated decisions per fit
   * @param learningRate Adam's step size for the fit
   * @param slowdowns random slow-downs for every other episode; null: none
   */
  public record Settings(
      int rounds,
      int episodes,
      double episodeSeconds,
      int epochs,
      double learningRate,
      RandomDisturbances slowdowns,
      long seed) {
    public Settings {
      if (rounds < 0 || episodes < 1 || epochs < 1 || !(episodeSeconds > 0)) {
        throw new IllegalArgumentException(
            "rounds >= 0, episodes >= 1, epochs >= 1 and episode seconds > 0 are required");
      }
    }
  }

  /**
   * One round: decisions recorded so far, the fit's final cross-entropy, and per expert the share
   * of the acting policy's decisions that matched the expert's on its workloads (1 in round 0,
   * where the experts act; {@code round == -1} is the final student's check).
   */
  public record Round(
      int round, int decisions, double crossEntropy, Map<String, Double> agreement) {
    public boolean isCheck() {
      return round < 0;
    }
  }

  /** The student and how it got there. */
  public record Result(
      ActorCritic networks, ObservationSpec spec, List<String> variantNames, List<Round> rounds) {

    public byte[] modelBytes(long version, String trainedOn) {
      return writer(version, trainedOn).toBytes();
    }

    public void export(Path file, long version, String trainedOn) {
      writer(version, trainedOn).writeTo(file);
    }

    private PolicyModelWriter writer(long version, String trainedOn) {
      return PolicyExporter.writer(networks, spec, variantNames)
          .version(version)
          .trainedOn(trainedOn);
    }

    /** The final student's agreement with each expert on the expert's own workloads. */
    public Map<String, Double> finalAgreement() {
      return rounds.get(rounds.size() - 1).agreement();
    }
  }

  /**
   * @param simulator the simulator the experts and the student act in; its observation spec is the
   *     student's (without privileged features: the experts are deployable policies)
   * @param ppo the student's network shape and minibatch size; its discount and reward scale give
   *     the critic's returns
   */
  public static Result run(
      SimulatorConfig simulator,
      PpoConfig ppo,
      List<Expert> experts,
      Settings settings,
      Consumer<Round> progress) {
    if (experts.isEmpty()) {
      throw new IllegalArgumentException("distillation needs at least one expert");
    }
    Simulator sim = new Simulator(simulator);
    if (!sim.spec().privilegedFeatures().isEmpty()) {
      throw new IllegalArgumentException("the student observes what the job does: no privileged");
    }
    List<String> actions = sim.topology().actionNames();
    for (Expert expert : experts) {
      expert.policy().apply(sim).close(); // rejects an unfitting model up front
    }
    Demonstrations all = new Demonstrations(sim.spec().dimension(), sim.spec().actionCount());
    List<Round> rounds = new ArrayList<>();
    Fit student = null;
    for (int round = 0; round <= settings.rounds() + 1; round++) { // the last one only checks
      boolean check = round == settings.rounds() + 1;
      byte[] studentModel =
          student == null
              ? null
              : PolicyExporter.writer(student.trainer().networks(), sim.spec(), actions)
                  .version(1)
                  .toBytes();
      Demonstrations into =
          check ? new Demonstrations(all.observationSize(), all.actionCount()) : all;
      Map<String, Double> agreement = new LinkedHashMap<>();
      for (int e = 0; e < experts.size(); e++) {
        Expert expert = experts.get(e);
        Function<Simulator, SchedulingPolicy> actor =
            studentModel == null ? null : s -> load("student", studentModel, s);
        agreement.put(
            expert.name(),
            TeacherDemonstrations.record(
                sim,
                actor,
                expert.policy(),
                episodes(expert, settings, round, e, sim.topology().serverCount()),
                ppo.gamma(),
                ppo.rewardScale(),
                into));
      }
      if (check) {
        rounds.add(new Round(-1, all.size(), student.crossEntropy(), agreement));
      } else {
        student = fit(simulator, ppo, all, settings);
        rounds.add(new Round(round, all.size(), student.crossEntropy(), agreement));
      }
      progress.accept(rounds.get(rounds.size() - 1));
    }
    return new Result(student.trainer().networks(), sim.spec(), actions, List.copyOf(rounds));
  }

  /** A fitted student and its final epoch's cross-entropy to the labels (nats per decision). */
  private record Fit(PpoTrainer trainer, double crossEntropy) {}

  /** A fresh student fitted to every decision recorded so far. */
  private static Fit fit(
      SimulatorConfig simulator, PpoConfig ppo, Demonstrations all, Settings settings) {
    // the trainer takes its networks' shapes from an environment; none is ever stepped here
    EnvironmentConfig environment =
        new EnvironmentConfig(
            simulator,
            List.of(WorkloadSpec.parse("poisson:rate=1")),
            DisturbanceSpec.NONE,
            null,
            settings.episodeSeconds());
    PpoTrainer trainer =
        new PpoTrainer(() -> new EdgeServingEnvironment(environment), ppo, settings.seed());
    return new Fit(trainer, trainer.imitate(all, settings.epochs(), settings.learningRate()));
  }

  /** The episodes of one expert's workloads in one round, each with its own seed. */
  private static List<Scenario> episodes(
      Expert expert, Settings settings, int round, int index, int servers) {
    List<Scenario> episodes = new ArrayList<>();
    long seed = settings.seed() * 1_000_003L + round * 10_007L + index * 101L;
    for (WorkloadSpec workload : expert.workloads()) {
      for (int i = 0; i < settings.episodes(); i++) {
        seed++;
        DisturbanceSpec disturbances =
            settings.slowdowns() != null && i % 2 == 1
                ? settings.slowdowns().draw(seed, servers, settings.episodeSeconds())
                : DisturbanceSpec.NONE;
        episodes.add(new Scenario(workload, disturbances, settings.episodeSeconds(), seed));
      }
    }
    return episodes;
  }

  private static OnnxPolicy load(String name, byte[] model, Simulator simulator) {
    try {
      return OnnxPolicy.load(
          model,
          simulator.spec(),
          simulator.topology().actionNames(),
          OnnxPolicy.Options.defaults().withMode(OnnxPolicy.Mode.ARGMAX));
    } catch (PolicyRejectedException e) {
      throw new IllegalArgumentException(
          name + " does not fit the student's observation: " + e.getMessage(), e);
    }
  }
}
