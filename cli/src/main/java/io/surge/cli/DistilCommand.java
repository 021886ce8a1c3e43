package io.surge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.surge.policy.baseline.Policies;
import io.surge.sim.disturb.RandomDisturbances;
import io.surge.sim.engine.Calibration;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.LatencyTable;
import io.surge.state.ServiceTopology;
import io.surge.state.catalog.Catalog;
import io.surge.train.LoadAverage;
import io.surge.train.PolicyDistillation;
import io.surge.train.Scenarios;
import io.surge.train.TrainingPlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code surge distil}: one policy that acts as several experts, each on its own workloads. */
@Command(
    name = "distil",
    mixinStandardHelpOptions = true,
    description = {
      "Distils expert policies into one policy model by DAgger in the simulator: each expert"
          + " labels the states the student reaches on that expert's workloads, and the student"
          + " is refitted to all labels so far, round after round. For policies that each master"
          + " one regime (e.g. one trained on a light load, one on bursts) where PPO on the mix"
          + " learns only one of them.",
      "Writes OUT/policy.onnx and OUT/summary.json (per round: decisions, cross-entropy, and the"
          + " student's agreement with each expert on its workloads)."
    })
final class DistilCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--expert",
      required = true,
      paramLabel = "POLICY=W[;W2...]",
      description =
          "An expert (a baseline by name, learned = the shipped default, or FILE.onnx) and the"
              + " workloads it labels: workload specs or a scenario set (train, train-wide),"
              + " ';'-separated; give one --expert per expert.")
  List<String> experts;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description = "DAgger rounds after the experts' own runs (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--episodes",
      defaultValue = "2",
      description =
          "Episodes per workload per round, every other one with a random slow-down under"
              + " --random-slowdowns (default: ${DEFAULT-VALUE}).")
  int episodes;

  @Option(
      names = "--episode-seconds",
      defaultValue = "30",
      description = "Simulated seconds of arrivals per episode (default: ${DEFAULT-VALUE}).")
  double episodeSeconds;

  @Option(
      names = "--epochs",
      defaultValue = "10",
      description = "Passes over the recorded decisions per fit (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--learning-rate",
      defaultValue = "1e-3",
      description = "Adam step size of the fit (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(
      names = "--random-slowdowns",
      description = "Every other episode, one server runs 1.5-4x slower for 5-60 s.")
  boolean randomSlowdowns;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the student and the episodes (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--shipped-policies",
      paramLabel = "DIR",
      defaultValue = "deploy/policies",
      description = "Where learned is found (default: ${DEFAULT-VALUE}).")
  Path shipped;

  @Option(
      names = "--policy-version",
      defaultValue = "1",
      description = "The model's surge.version (default: ${DEFAULT-VALUE}).")
  long version;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Where policy.onnx and summary.json go.")
  Path out;

  @Override
  public Integer call() throws IOException {
    Catalog catalog = Calibration.defaultCatalog();
    String service = catalog.services().get(0).name();
    Calibration calibration = Calibration.defaults();
    SimulatorConfig simulator = SimulatorConfig.of(catalog, service, calibration);
    LatencyTable latency =
        LatencyTable.from(calibration.profile(), ServiceTopology.of(catalog, service));
    List<PolicyDistillation.Expert> parsed = new ArrayList<>();
    PolicyDistillation.Settings settings;
    try {
      for (String expert : experts) {
        parsed.add(expert(expert, latency));
      }
      settings =
          new PolicyDistillation.Settings(
              rounds,
              episodes,
              episodeSeconds,
              epochs,
              learningRate,
              randomSlowdowns ? RandomDisturbances.defaults() : null,
              seed);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter w = spec.commandLine().getOut();
    long started = System.nanoTime();
    PolicyDistillation.Result result =
        PolicyDistillation.run(
            simulator,
            TrainingPlan.edgeServingPpo(),
            parsed,
            settings,
            round -> {
              w.printf(
                  Locale.ROOT,
                  "%s: %,d decisions, cross-entropy %.3f; agreement with the experts %s  [%.0f s]%n",
                  round.isCheck() ? "final student" : "round " + round.round(),
                  round.decisions(),
                  round.crossEntropy(),
                  percentages(round.agreement()),
                  (System.nanoTime() - started) / 1e9);
              w.flush();
            });
    Files.createDirectories(out);
    String trainedOn =
        "distilled from "
            + parsed.stream()
                .map(e -> e.name() + " on " + describe(e.workloads()))
                .collect(Collectors.joining("; "));
    result.export(out.resolve("policy.onnx"), version, trainedOn);
    Files.writeString(out.resolve("summary.json"), summary(result, trainedOn));
    w.printf(Locale.ROOT, "wrote %s (%s)%n", out.resolve("policy.onnx"), trainedOn);
    return 0;
  }

  /** {@code POLICY=W[;W2...]}, a workload being a spec or a scenario set's workloads. */
  private PolicyDistillation.Expert expert(String text, LatencyTable latency) throws IOException {
    int eq = text.indexOf('=');
    if (eq <= 0 || eq == text.length() - 1) {
      throw new IllegalArgumentException("--expert takes POLICY=WORKLOADS, not '" + text + "'");
    }
    String token = text.substring(0, eq);
    List<WorkloadSpec> workloads = new ArrayList<>();
    for (String w : text.substring(eq + 1).split(";")) {
      if (Scenarios.names().contains(w)) {
        Scenarios.of(w, latency).forEach(e -> workloads.add(WorkloadSpec.parse(e.workload())));
      } else if (!w.isBlank()) {
        workloads.add(WorkloadSpec.parse(w));
      }
    }
    if (Policies.isBuiltIn(token)) {
      return new PolicyDistillation.Expert(
          token, s -> Policies.byName(token, s.topology(), s.latency()), workloads);
    }
    Path file = token.equals("learned") ? shipped.resolve("default.onnx") : Path.of(token);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "expert '" + token + "' is neither a baseline nor an existing model file");
    }
    return PolicyDistillation.Expert.ofModel(token, Files.readAllBytes(file), workloads);
  }

  private static String describe(List<WorkloadSpec> workloads) {
    return workloads.stream().map(WorkloadSpec::toSpec).collect(Collectors.joining(";"));
  }

  private static String percentages(Map<String, Double> agreement) {
    return agreement.entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%s %.1f %%", e.getKey(), 100 * e.getValue()))
        .collect(Collectors.joining(", "));
  }

  private String summary(PolicyDistillation.Result result, String trainedOn) throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    root.put("trained_on", trainedOn);
    root.put("command_line", String.join(" ", spec.commandLine().getParseResult().originalArgs()));
    root.put("load_average", LoadAverage.oneMinute());
    ArrayNode rows = root.putArray("rounds");
    for (PolicyDistillation.Round round : result.rounds()) {
      ObjectNode row = rows.addObject();
      row.put("round", round.isCheck() ? "final" : Integer.toString(round.round()));
      row.put("decisions", round.decisions());
      row.put("cross_entropy", round.crossEntropy());
      ObjectNode agreement = row.putObject("agreement");
      round.agreement().forEach(agreement::put);
    }
    return json.writeValueAsString(root) + "\n";
  }
}
