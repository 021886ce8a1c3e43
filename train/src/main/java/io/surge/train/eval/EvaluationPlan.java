package io.surge.train.eval;

import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.sim.workload.WorkloadSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link PolicyEvaluation} compares, and on what.
 *
 * @param simulator the service, calibration and estimators (a model file adapts history length and
 *     privileged features to how it was trained)
 * @param policies policy tokens in the order results are reported
 * @param seeds scenario seeds {@code firstSeed .. firstSeed + seeds - 1}, the same for every policy
 * @param seconds simulated seconds of arrivals per seed
 * @param shippedPolicies where {@code learned} and {@code oracle} live ({@code deploy/policies})
 * @param threads seeds run in parallel; results do not depend on it
 */
public record EvaluationPlan(
    SimulatorConfig simulator,
    WorkloadSpec workload,
    DisturbanceSpec disturbances,
    List<String> policies,
    int seeds,
    long firstSeed,
    double seconds,
    Path shippedPolicies,
    int threads) {

  public static final Path SHIPPED_POLICIES = Path.of("deploy", "policies");

  public EvaluationPlan {
    policies = List.copyOf(policies);
    if (policies.isEmpty()) {
      throw new IllegalArgumentException("name at least one policy");
    }
    if (policies.stream().distinct().count() != policies.size()) {
      throw new IllegalArgumentException("a policy is named twice: " + policies);
    }
    if (disturbances == null) {
      disturbances = DisturbanceSpec.NONE;
    }
    if (seeds < 1 || threads < 1) {
      throw new IllegalArgumentException("seeds and threads must be >= 1");
    }
    if (!(seconds > 0) || !Double.isFinite(seconds)) {
      throw new IllegalArgumentException("seconds must be a positive number");
    }
  }
}
