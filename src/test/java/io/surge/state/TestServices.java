package io.surge.state;

import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.util.List;

/**
 * A small hand-checkable world: three variants (small 5/12 ms, medium 10/25 ms, large 20/50 ms at
 * batch 1/4) of "svc" on two servers; s0 hosts all three, s1 hosts small and large. Only s0 is
 * profiled, so s1 uses s0's numbers.
 */
public final class TestServices {

  public static final long MS = 1_000_000L;

  private TestServices() {}

  public static Catalog catalog() {
    Catalog.TensorSpec input = new Catalog.TensorSpec("input", "FP32", List.of(3L));
    List<Catalog.Variant> variants =
        List.of(
            new Catalog.Variant("small", "m-small", 70.0, input, "output"),
            new Catalog.Variant("medium", "m-medium", 75.0, input, "output"),
            new Catalog.Variant("large", "m-large", 78.0, input, "output"));
    return new Catalog(
        List.of(new Catalog.Service("svc", 100, variants)),
        List.of(
            new Catalog.Server("s0", "http://s0", List.of("m-small", "m-medium", "m-large")),
            new Catalog.Server("s1", "http://s1", List.of("m-small", "m-large"))));
  }

  public static LatencyProfile profile() {
    return new LatencyProfile(
        "2026-11-26T00:00:00Z",
        "test",
        List.of(
            entry("m-small", 1, 5),
            entry("m-small", 4, 12),
            entry("m-medium", 1, 10),
            entry("m-medium", 4, 25),
            entry("m-large", 1, 20),
            entry("m-large", 4, 50)));
  }

  private static LatencyProfile.Entry entry(String model, int batch, double ms) {
    return new LatencyProfile.Entry("s0", model, batch, ms, ms * 1.2, 100);
  }

  public static ServiceTopology topology() {
    return ServiceTopology.of(catalog(), "svc");
  }

  public static ObservationBuilder builder(EstimatorSettings settings) {
    ServiceTopology topology = topology();
    return ObservationBuilder.create(topology, LatencyTable.from(profile(), topology), settings);
  }

  /** The default estimators with four frames of history, so the tests see the history work. */
  public static final EstimatorSettings WITH_HISTORY =
      EstimatorSettings.defaults().withHistoryLength(4);

  public static ObservationBuilder builder() {
    return builder(WITH_HISTORY);
  }
}
