package io.surge.cli;

import io.surge.cli.train.Charts;
import io.surge.cli.train.TrainingLog;
import io.surge.cli.train.TrainingProgressBar;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.disturb.RandomDisturbances;
import io.surge.sim.engine.Calibration;
import io.surge.sim.engine.PrivilegedFeatures;
import io.surge.sim.env.EnvironmentConfig;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.EstimatorSettings;
import io.surge.state.LatencyTable;
import io.surge.state.Rewards;
import io.surge.state.ServiceTopology;
import io.surge.state.catalog.Catalog;
import io.surge.train.LoadAverage;
import io.surge.train.PolicyTraining;
import io.surge.train.Scenarios;
import io.surge.train.SeedSelection;
import io.surge.train.TrainedPolicy;
import io.surge.train.TrainingPlan;
import io.surge.train.TrainingSummaryJson;
import io.surge.train.WarmStart;
import io.surge.train.export.PolicyModelReader;
import io.surge.train.ppo.PpoConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code surge train}: a policy learned by PPO in the simulator, exported as a policy model. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Trains a scheduling policy with PPO in the simulator and exports it as an ONNX policy model.",
      "Each episode draws one of the workloads; the result is reproducible for a seed and a step"
          + " budget (unless --minutes stops it first). Writes OUT/policy.onnx,"
          + " OUT/learning-curve.png, OUT/summary.json and OUT/updates.csv (one line per PPO update)."
    })
final class TrainCommand implements Callable<Integer> {

  static final int VALIDATION_SEEDS = 3;
  static final double VALIDATION_SECONDS = 60;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--workload",
      paramLabel = "W[;W2...]",
      description =
          "Training workload specs separated by ';' (quote it in a shell), e.g."
              + " 'mmpp:rates=100/600,dwell=10/5;poisson:rate=300'; each episode draws one.")
  String workloads;

  @Option(
      names = "--warm-up-workload",
      paramLabel = "W[;W2...]",
      description =
          "A curriculum: the first --warm-up-steps train on these workloads (';'-separated),"
              + " then on --workload/--scenario, with the same actor, critic and step-size"
              + " schedule, e.g. a light load first so the larger variants are learned before"
              + " the bursts make them look risky.")
  String warmUpWorkloads;

  @Option(
      names = "--warm-up-steps",
      paramLabel = "N",
      defaultValue = "0",
      description = "Steps of the --warm-up-workload, within --steps (default: ${DEFAULT-VALUE}).")
  long warmUpSteps;

  @Option(
      names = "--scenario",
      paramLabel = "NAME",
      description =
          "Instead of --workload: a named scenario set in units of the calibration's capacity C"
              + " (train = the training workloads of issue 7; their slow-downs come from"
              + " --random-slowdowns).")
  String scenario;

  @Option(
      names = "--teacher",
      paramLabel = "BASELINE",
      description =
          "Imitate this baseline's decisions before PPO (behaviour cloning as a warm start), e.g."
              + " proteus-like; without it PPO starts from a uniform policy.")
  String teacher;

  @Option(
      names = "--init",
      paramLabel = "FILE.onnx",
      description =
          "Continue from this policy model (fine-tuning) instead of a uniform policy: its actor"
              + " and observation normalisation; a fresh critic first trains alone for"
              + " --critic-steps. Its observation spec must be this run's.")
  Path init;

  @Option(
      names = "--critic-steps",
      paramLabel = "N",
      defaultValue = "200000",
      description =
          "With --init: steps that train only the critic before the actor moves, on top of"
              + " --steps (default: ${DEFAULT-VALUE}).")
  long criticSteps;

  @Option(
      names = "--gae-seconds",
      paramLabel = "S",
      description =
          "GAE's lambda in simulated seconds: exp(-dt/S) between two decisions, so advantages"
              + " sum the actual rewards of the next ~S seconds; 0 uses a per-decision lambda of"
              + " 0.95 (default: 0).")
  Double gaeSeconds;

  @Option(
      names = "--rollout",
      paramLabel = "N",
      description = "Decisions per environment per PPO update, 16 environments (default: 256).")
  Integer rollout;

  @Option(
      names = "--learning-rate",
      paramLabel = "LR",
      description = "Adam step size at the start, annealed to 0 (default: 3e-4).")
  Double learningRate;

  @Option(
      names = "--entropy",
      paramLabel = "COEF",
      description = "Weight of the entropy bonus (default: 0.03).")
  Double entropy;

  @Option(
      names = "--late-penalty",
      paramLabel = "R",
      defaultValue = "0",
      description =
          "Shaping: the reward, in accuracy points, of a late or failed request during training"
              + " (e.g. -10); shed stays 0; evaluation always scores effective accuracy"
              + " (default: ${DEFAULT-VALUE}).")
  double latePenalty;

  @Option(
      names = "--discount-seconds",
      paramLabel = "TAU",
      description =
          "Discount horizon in simulated seconds: exp(-dt/TAU) between two decisions; 0 uses a"
              + " per-decision gamma of 0.995 instead, the first shipped policy's recipe"
              + " (default: 0.5).")
  Double discountSeconds;

  @Option(
      names = "--normalise-values",
      negatable = true,
      description =
          "Train the critic on returns normalised by their running mean and standard deviation"
              + " (default: the recipe's).")
  Boolean normaliseValues;

  @Option(
      names = "--calibration",
      paramLabel = "FILE",
      description = "Simulator calibration JSON (default: the shipped one).")
  Path calibration;

  @Option(
      names = "--disturb",
      paramLabel = "SPEC",
      description = "Disturbances in every episode, e.g. slowdown:server=1,factor=3,at=20,for=20.")
  String disturb;

  @Option(
      names = "--random-slowdowns",
      description = "Instead of --disturb: each episode one server runs 1.5-4x slower for 5-60 s.")
  boolean randomSlowdowns;

  @Option(
      names = "--privileged",
      description = "Add the simulator-only features (the oracle; another observation spec).")
  boolean privileged;

  @Option(
      names = "--privileged-critic",
      description =
          "Asymmetric actor-critic: the critic also sees the simulator-only features (the coming"
              + " second's arrivals, each server's slow-down), the exported actor does not (the"
              + " deployed policy's observation spec).")
  boolean privilegedCritic;

  @Option(
      names = "--history",
      paramLabel = "K",
      description = "Previous observation frames stacked (default: the scheduler's, 4).")
  Integer history;

  @Option(
      names = "--single-rate-scale",
      description =
          "Ablation: one arrival-rate estimator (1 s) instead of the multi-scale ones"
              + " (100 ms, 1 s, 10 s); another observation spec.")
  boolean singleRateScale;

  @Option(
      names = "--steps",
      required = true,
      paramLabel = "N",
      description = "Environment steps (decisions) to train for, e.g. 2000000.")
  long steps;

  @Option(
      names = "--candidates",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Train N policies (seeds SEED .. SEED+N-1) and keep the best by its mean effective"
              + " accuracy on the training workloads themselves (3 seeds x 60 s each); the"
              + " candidates go to OUT/candidates (default: ${DEFAULT-VALUE}).")
  int candidates;

  @Option(
      names = "--minutes",
      paramLabel = "M",
      description = "Wall-clock cap; when it stops training, the result depends on the machine.")
  Double minutes;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of networks and episodes (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--episode-seconds",
      defaultValue = "60",
      description = "Simulated seconds of arrivals per episode (default: ${DEFAULT-VALUE}).")
  double episodeSeconds;

  @Option(
      names = "--policy-version",
      defaultValue = "1",
      description = "The model's surge.version (default: ${DEFAULT-VALUE}).")
  long version;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Where policy.onnx, learning-curve.png, summary.json and updates.csv go.")
  Path out;

  @Override
  public Integer call() throws Exception {
    WarmStart warmStart =
        init == null ? null : new WarmStart(PolicyModelReader.read(init), criticSteps);
    TrainingPlan plan = plan(warmStart);
    if (warmStart != null && candidates != 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--init continues one policy: it does not take --candidates");
    }
    if (candidates < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--candidates must be >= 1: " + candidates);
    }
    PrintWriter w = spec.commandLine().getOut();
    Files.createDirectories(out);
    TrainedPolicy policy;
    if (candidates == 1) {
      long budget = plan.steps() + (warmStart == null ? 0 : warmStart.criticSteps());
      try (TrainingProgressBar bar = new TrainingProgressBar(budget);
          TrainingLog log = new TrainingLog(out.resolve("updates.csv"))) {
        policy = PolicyTraining.run(plan, warmStart, bar.andThen(log));
      }
    } else {
      Path dir = Files.createDirectories(out.resolve("candidates"));
      SeedSelection.Result selection;
      try (TrainingProgressBar bar = new TrainingProgressBar(plan.steps() * candidates);
          TrainingLog log = new TrainingLog(out.resolve("updates.csv"))) {
        selection =
            SeedSelection.run(
                plan,
                candidates,
                dir,
                VALIDATION_SEEDS,
                VALIDATION_SECONDS,
                version,
                bar.andThen(log));
      }
      for (SeedSelection.Candidate c : selection.candidates()) {
        w.printf(
            Locale.ROOT,
            "seed %d: %.2f %% effective accuracy on the training workloads%s%n",
            c.seed(),
            100 * c.validationAccuracy(),
            c == selection.chosen() ? "  <- kept" : "");
      }
      policy = selection.best();
    }
    policy.export(out.resolve("policy.onnx"), version, plan.describeWorkloads());
    Charts.learningCurve(policy.learningCurve(), out.resolve("learning-curve.png"));
    Files.writeString(
        out.resolve("summary.json"),
        TrainingSummaryJson.write(
            policy,
            LoadAverage.oneMinute(),
            init == null ? null : init.toString(),
            init == null ? 0 : criticSteps));
    w.printf(
        Locale.ROOT,
        "trained %d steps in %.1f s (%.0f steps/s%s); wrote %s%n",
        policy.summary().environmentSteps(),
        policy.summary().elapsedSeconds(),
        policy.summary().environmentSteps() / policy.summary().elapsedSeconds(),
        policy.summary().stoppedByWallClock() ? ", stopped by --minutes" : "",
        out.resolve("policy.onnx"));
    w.flush();
    return 0;
  }

  /** The plan from the options; a bad spec or value is a usage error. */
  TrainingPlan plan() {
    return plan(null);
  }

  private TrainingPlan plan(WarmStart warmStart) {
    try {
      if (privileged && privilegedCritic) {
        throw new IllegalArgumentException(
            "--privileged gives the actor the privileged features; --privileged-critic only the"
                + " critic: give one of them");
      }
      if (randomSlowdowns && disturb != null) {
        throw new IllegalArgumentException("give --disturb or --random-slowdowns, not both");
      }
      Catalog catalog = Calibration.defaultCatalog();
      Calibration cal =
          calibration == null ? Calibration.defaults() : Calibration.read(calibration);
      EstimatorSettings estimators = EstimatorSettings.defaults();
      if (history != null) {
        estimators = estimators.withHistoryLength(history);
      }
      if (singleRateScale) {
        estimators = estimators.withRateTimeConstantsMs(EstimatorSettings.SINGLE_RATE_SCALE_MS);
      }
      return new TrainingPlan(
          cal,
          catalog,
          catalog.services().get(0).name(),
          workloads(cal, catalog),
          disturb == null ? DisturbanceSpec.NONE : DisturbanceSpec.parse(disturb),
          randomSlowdowns ? RandomDisturbances.defaults() : null,
          episodeSeconds,
          estimators,
          privileged || privilegedCritic,
          new Rewards(0, latePenalty, latePenalty),
          teacher,
          ppo(warmStart, privilegedCritic ? PrivilegedFeatures.names(topology(catalog)).size() : 0),
          steps,
          seed,
          minutes == null ? null : Duration.ofMillis(Math.round(minutes * 60_000)),
          warmUp());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private PpoConfig ppo(WarmStart warmStart, int criticOnlyFeatures) {
    PpoConfig.Builder ppo =
        TrainingPlan.edgeServingPpo().toBuilder().criticOnlyFeatures(criticOnlyFeatures);
    if (warmStart != null) {
      ppo.hiddenLayers(
          Arrays.stream(warmStart.actor().hiddenSizes()).boxed().toArray(Integer[]::new));
    }
    if (learningRate != null) {
      ppo.learningRate(learningRate);
    }
    if (gaeSeconds != null) {
      ppo.gaeSeconds(gaeSeconds);
    }
    if (rollout != null) {
      ppo.rolloutDecisions(rollout);
    }
    if (entropy != null) {
      ppo.entropyCoefficient(entropy);
    }
    if (discountSeconds != null) {
      ppo.discountSeconds(discountSeconds);
    }
    if (normaliseValues != null) {
      ppo.normaliseValues(normaliseValues);
    }
    return ppo.build();
  }

  private static ServiceTopology topology(Catalog catalog) {
    return ServiceTopology.of(catalog, catalog.services().get(0).name());
  }

  private EnvironmentConfig.WarmUp warmUp() {
    if ((warmUpWorkloads == null) != (warmUpSteps == 0)) {
      throw new IllegalArgumentException("--warm-up-workload and --warm-up-steps go together");
    }
    return warmUpWorkloads == null
        ? null
        : new EnvironmentConfig.WarmUp(specs(warmUpWorkloads), warmUpSteps);
  }

  private static List<WorkloadSpec> specs(String list) {
    return Arrays.stream(list.split(";"))
        .filter(w -> !w.isBlank())
        .map(WorkloadSpec::parse)
        .toList();
  }

  private List<WorkloadSpec> workloads(Calibration cal, Catalog catalog) {
    if ((workloads == null) == (scenario == null)) {
      throw new IllegalArgumentException("give --workload or --scenario (one of them)");
    }
    List<WorkloadSpec> set;
    if (workloads != null) {
      set = specs(workloads);
    } else {
      LatencyTable latency = LatencyTable.from(cal.profile(), topology(catalog));
      set =
          Scenarios.of(scenario, latency).stream()
              .map(e -> WorkloadSpec.parse(e.workload()))
              .toList();
    }
    return set;
  }
}
