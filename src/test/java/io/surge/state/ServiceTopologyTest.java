package io.surge.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.state.catalog.Catalog;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceTopologyTest {

  @Test
  void namesAndIndexesMapBothWays() {
    ServiceTopology topology = TestServices.topology();
    for (int v = 0; v < topology.variantCount(); v++) {
      assertThat(topology.variantIndex(topology.variantName(v))).isEqualTo(v);
    }
    for (int s = 0; s < topology.serverCount(); s++) {
      assertThat(topology.serverIndex(topology.serverName(s))).isEqualTo(s);
    }
    assertThat(topology.variantIndex("ghost")).isEqualTo(-1);
    assertThat(topology.serverIndex("ghost")).isEqualTo(-1);
  }

  @Test
  void byServiceTurnsADispatchsNamesBackIntoTheCatalogVariant() {
    Catalog catalog = TestServices.catalog();
    Map<String, ServiceTopology> byService = ServiceTopology.byService(catalog);

    assertThat(byService).containsOnlyKeys("svc");
    assertThat(byService.get("svc").variant("medium"))
        .isEqualTo(catalog.service("svc").variants().get(1));
    assertThat(byService.get("svc").variant("ghost")).isNull();
  }
}
