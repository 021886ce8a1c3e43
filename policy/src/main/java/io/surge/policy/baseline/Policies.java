package io.surge.policy.baseline;

import io.surge.policy.SchedulingPolicy;
import io.surge.state.LatencyTable;
import io.surge.state.ServiceTopology;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.util.List;

/** The built-in heuristic policies by name (DESIGN.md section 7). */
public final class Policies {

  /** Default utilisation at which {@code threshold} steps down, and its rate scale (1 s). */
  public static final double DEFAULT_THRESHOLD_UTILISATION = 0.8;

  public static final int DEFAULT_THRESHOLD_RATE_SCALE = 1;

  private Policies() {}

  public static List<String> names() {
    return List.of(
        LargestPolicy.NAME, SmallestPolicy.NAME, GreedySloPolicy.NAME, ThresholdPolicy.NAME);
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

  public static SchedulingPolicy byName(
      String name, ServiceTopology topology, LatencyTable latency) {
    return switch (name) {
      case LargestPolicy.NAME -> new LargestPolicy();
      case SmallestPolicy.NAME -> new SmallestPolicy();
      case GreedySloPolicy.NAME -> new GreedySloPolicy();
      case ThresholdPolicy.NAME ->
          ThresholdPolicy.withDefaultLevels(
              topology, latency, DEFAULT_THRESHOLD_UTILISATION, DEFAULT_THRESHOLD_RATE_SCALE);
      default ->
          throw new IllegalArgumentException(
              "unknown policy '" + name + "'; built-in: " + String.join(", ", names()));
    };
  }
}
