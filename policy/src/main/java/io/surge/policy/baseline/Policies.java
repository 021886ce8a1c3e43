package io.surge.policy.baseline;

import io.surge.policy.SchedulingPolicy;
import io.surge.state.LatencyTable;
import io.surge.state.ServiceTopology;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.util.List;

/**
 * The built-in heuristic policies by name (DESIGN.md section 7), and {@code fixed:VARIANT} for one
 * variant always. The tunable ones take their parameters from the shipped {@code baselines.yaml}
 * ({@link BaselineParameters#shipped()}) unless given explicit ones.
 */
public final class Policies {

  private Policies() {}

  public static List<String> names() {
    return List.of(
        LargestPolicy.NAME,
        SmallestPolicy.NAME,
        GreedySloPolicy.NAME,
        ThresholdPolicy.NAME,
        ProteusLikePolicy.NAME);
  }

  /** Whether a name is a built-in heuristic: one of {@link #names()}, or {@code fixed:VARIANT}. */
  public static boolean isBuiltIn(String name) {
    return names().contains(name) || FixedVariantPolicy.matches(name);
  }

  /** The built-in names as error messages list them. */
  public static String describeNames() {
    return String.join(", ", names()) + ", " + FixedVariantPolicy.PREFIX + "VARIANT";
  }

  /**
   * A heuristic for the only service of a catalog.
   *
   * @throws IllegalArgumentException for an unknown name, or a catalog with several services
   */
  public static SchedulingPolicy byName(String name, Catalog catalog, LatencyProfile profile) {
    if (catalog.services().size() != 1) {
      throw new IllegalArgumentException(
          "the catalog has " + catalog.services().size() + " services: name one");
    }
    return byName(name, catalog, catalog.services().get(0).name(), profile);
  }

  public static SchedulingPolicy byName(
      String name, Catalog catalog, String service, LatencyProfile profile) {
    ServiceTopology topology = ServiceTopology.of(catalog, service);
    return byName(name, topology, LatencyTable.from(profile, topology));
  }

  /** A heuristic with the shipped tuned parameters. */
  public static SchedulingPolicy byName(
      String name, ServiceTopology topology, LatencyTable latency) {
    return byName(name, topology, latency, BaselineParameters.shipped());
  }

  /** A heuristic with explicit parameters (a tuning candidate, or another baselines.yaml). */
  public static SchedulingPolicy byName(
      String name, ServiceTopology topology, LatencyTable latency, BaselineParameters parameters) {
    return switch (name) {
      case LargestPolicy.NAME -> new LargestPolicy();
      case SmallestPolicy.NAME -> new SmallestPolicy();
      case GreedySloPolicy.NAME -> new GreedySloPolicy(parameters.greedySlo());
      case ThresholdPolicy.NAME -> ThresholdPolicy.of(topology, latency, parameters.threshold());
      case ProteusLikePolicy.NAME ->
          new ProteusLikePolicy(topology, latency, parameters.proteusLike());
      default -> {
        if (FixedVariantPolicy.matches(name)) {
          yield FixedVariantPolicy.of(name, topology);
        }
        throw new IllegalArgumentException(
            "unknown policy '" + name + "'; built-in: " + describeNames());
      }
    };
  }
}
