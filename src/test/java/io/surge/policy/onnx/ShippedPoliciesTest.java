package io.surge.policy.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surge.jobs.scheduler.InitialPolicy;
import io.surge.schema.PolicyUpdate;
import io.surge.sim.engine.Calibration;
import io.surge.state.EstimatorSettings;
import io.surge.state.ObservationSpec;
import io.surge.state.ServiceTopology;
import io.surge.state.catalog.Catalog;
import org.junit.jupiter.api.Test;

/** The learned policy shipped in deploy/policies fits the job's default observation spec. */
class ShippedPoliciesTest {

  private final Catalog catalog = Calibration.defaultCatalog();
  private final ServiceTopology topology =
      ServiceTopology.of(catalog, catalog.services().get(0).name());

  @Test
  void theShippedLearnedPolicyLoadsForTheDefaultSpec() throws Exception {
    byte[] model = ShippedPolicies.read(ShippedPolicies.LEARNED);
    ObservationSpec spec = ObservationSpec.of(topology, EstimatorSettings.defaults());

    try (OnnxPolicy policy =
        OnnxPolicy.load(model, spec, topology.actionNames(), OnnxPolicy.Options.defaults())) {
      assertThat(policy.version()).isPositive();
      assertThat(policy.sha256()).isEqualTo(PolicyFile.sha256(model));
    }
  }

  @Test
  void theJobTurnsTheNameLearnedIntoAPolicyUpdate() {
    PolicyUpdate update = InitialPolicy.update(ShippedPolicies.LEARNED, null);

    assertThat(update.getName()).isEqualTo("default.onnx");
    assertThat(update.getActions()).isEqualTo(topology.actionNames());
    assertThat(update.getSha256())
        .isEqualTo(PolicyFile.sha256(ShippedPolicies.read(ShippedPolicies.LEARNED)));
  }

  @Test
  void unknownNamesAreRefusedWithTheShippedOnes() {
    assertThat(ShippedPolicies.isShipped("greedy-slo")).isFalse();
    assertThatThrownBy(() -> ShippedPolicies.read("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("learned");
  }
}
