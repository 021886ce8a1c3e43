package io.surge.train.eval;

import io.surge.policy.SchedulingPolicy;
import io.surge.policy.baseline.Policies;
import io.surge.policy.onnx.OnnxPolicy;
import io.surge.policy.onnx.PolicyFile;
import io.surge.policy.onnx.PolicyRejectedException;
import io.surge.sim.engine.PrivilegedFeatures;
import io.surge.sim.engine.Simulator;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.state.EstimatorSettings;
import io.surge.state.ObservationSpec;
import io.surge.state.ServiceTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A policy token of {@code surge evaluate --policies}, resolved: a baseline by name, or a policy
 * model file ({@code FILE.onnx}, {@code learned} = the shipped default, {@code oracle} = the
 * shipped oracle) with the simulator settings whose observation spec it was trained on.
 */
sealed interface EvaluatedPolicy {

  String LEARNED = "learned";
  String ORACLE = "oracle";
  String DEFAULT_FILE = "default.onnx";
  String ORACLE_FILE = "oracle.onnx";

  /** Longest observation history a model file is matched against (see {@link #resolve}). */
  int MAX_HISTORY = 32;

  String token();

  /** "baseline", "learned" or "oracle", as in results.json. */
  String kind();

  /** A heuristic, the same under every seed. */
  record Baseline(String token) implements EvaluatedPolicy {
    @Override
    public String kind() {
      return "baseline";
    }

    SchedulingPolicy create(Simulator simulator) {
      return Policies.byName(token, simulator.topology(), simulator.latency());
    }
  }

  /**
   * A policy model and the simulator that builds its observation.
   *
   * @param simulator the evaluation's simulator with the model's history length and privileged
   *     features
   */
  record ModelFile(
      String token, Path file, byte[] bytes, boolean privileged, SimulatorConfig simulator)
      implements EvaluatedPolicy {
    @Override
    public String kind() {
      return privileged ? ORACLE : LEARNED;
    }

    SchedulingPolicy create(Simulator simulator, OnnxPolicy.Mode mode) {
      try {
        return OnnxPolicy.load(
            bytes,
            simulator.spec(),
            simulator.topology().actionNames(),
            OnnxPolicy.Options.defaults().withMode(mode));
      } catch (PolicyRejectedException e) {
        throw new IllegalArgumentException(
            "policy '" + token + "' (" + file + ") is rejected: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Resolves a token. A model file's observation spec is found by its hash among the evaluation's
   * estimators with every history length up to {@value #MAX_HISTORY}, with the multi-scale or the
   * single-scale rate estimators, without and with the privileged features, so an ablation model
   * (another {@code --history}, {@code --single-rate-scale}) or an oracle trained to any path
   * evaluates as it was trained.
   *
   * @param shipped the directory of the shipped policies ({@code deploy/policies})
   * @throws IllegalArgumentException for an unknown name, or a missing or unfitting file
   */
  static EvaluatedPolicy resolve(String token, Path shipped, SimulatorConfig simulator) {
    Path file;
    if (token.equals(LEARNED)) {
      file = shipped.resolve(DEFAULT_FILE);
    } else if (token.equals(ORACLE)) {
      file = shipped.resolve(ORACLE_FILE);
    } else if (token.endsWith(".onnx")) {
      file = Path.of(token);
    } else if (Policies.isBuiltIn(token)) {
      return new Baseline(token);
    } else {
      throw new IllegalArgumentException(
          "unknown policy '"
              + token
              + "': use a baseline ("
              + Policies.describeNames()
              + "), learned, oracle or a FILE.onnx");
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "policy '"
              + token
              + "' needs the model file "
              + file
              + ", which does not exist"
              + (token.endsWith(".onnx")
                  ? ""
                  : " (train one with `surge train"
                      + (token.equals(ORACLE) ? " --privileged" : "")
                      + " ... --out DIR` and copy DIR/policy.onnx there)"));
    }
    PolicyFile model;
    try {
      model = PolicyFile.read(file);
    } catch (PolicyRejectedException e) {
      throw new IllegalArgumentException(
          "policy '" + token + "' (" + file + ") is rejected: " + e.getMessage(), e);
    }
    SimulatorConfig fitting = fittingSimulator(model.specHash(), simulator);
    if (fitting == null) {
      throw new IllegalArgumentException(
          "policy '"
              + token
              + "' ("
              + file
              + ") was trained on an observation spec this simulator does not build (hash "
              + model.specHash()
              + "): another catalog, service or estimator settings");
    }
    if (token.equals(ORACLE) && !fitting.privileged()) {
      throw new IllegalArgumentException(
          "policy 'oracle' (" + file + ") has no privileged features: train it with --privileged");
    }
    return new ModelFile(token, file, model.bytes(), fitting.privileged(), fitting);
  }

  private static SimulatorConfig fittingSimulator(String specHash, SimulatorConfig simulator) {
    ServiceTopology topology = ServiceTopology.of(simulator.catalog(), simulator.service());
    List<EstimatorSettings> rateScales =
        List.of(
            simulator.estimators(),
            simulator.estimators().withRateTimeConstantsMs(EstimatorSettings.SINGLE_RATE_SCALE_MS));
    for (EstimatorSettings rates : rateScales) {
      for (int history = 0; history <= MAX_HISTORY; history++) {
        EstimatorSettings estimators = rates.withHistoryLength(history);
        ObservationSpec plain = ObservationSpec.of(topology, estimators);
        for (boolean privileged : new boolean[] {false, true}) {
          ObservationSpec spec =
              privileged ? plain.withPrivileged(PrivilegedFeatures.names(topology)) : plain;
          if (spec.hash().equals(specHash)) {
            return simulator.withEstimators(estimators).withPrivileged(privileged);
          }
        }
      }
    }
    return null;
  }
}
