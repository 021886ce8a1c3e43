package io.surge.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import io.surge.state.catalog.LatencyProfile.Entry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {

  static final String YAML =
      """
      services:
        - name: image-classification
          deadline_ms: 100
          variants:
            - {name: small, model: m-small, accuracy: 69.76, input: {name: input, datatype: FP32, shape: [64]}, output: logits}
            - {name: large, model: m-large, accuracy: 78.31, input: {name: input, datatype: FP32, shape: [64]}, output: logits}
      servers:
        - {name: edge-0, url: "http://127.0.0.1:8000", models: [m-small, m-large]}
        - {name: edge-1, url: "http://127.0.0.1:8001", models: [m-large]}
      """;

  @Test
  void parsesServicesVariantsAndHosting(@TempDir Path dir) {
    Catalog catalog = Catalog.parse(YAML);
    Catalog.Service service = catalog.service("image-classification");
    assertThat(service.actionCount()).isEqualTo(3);
    assertThat(service.indexOf("large")).isEqualTo(1);
    assertThat(catalog.serversHosting(service.variants().get(1)))
        .extracting(Catalog.Server::name)
        .containsExactly("edge-0", "edge-1");
    assertThat(catalog.service("nope")).isNull();

    catalog.write(dir.resolve("catalog.yaml"));
    assertThat(Catalog.load(dir.resolve("catalog.yaml"))).isEqualTo(catalog);
  }

  @Test
  void travelsWithFlinkFunctionsAsJavaSerialization() throws Exception {
    Catalog catalog = Catalog.parse(YAML);
    var bytes = new java.io.ByteArrayOutputStream();
    try (var out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(catalog);
    }
    try (var in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(catalog);
    }
  }

  @Test
  void rejectsInconsistentCatalogs() {
    assertThatThrownBy(() -> Catalog.parse(YAML.replace("models: [m-large]", "models: [ghost]")))
        .hasMessageContaining("ghost");
    assertThatThrownBy(() -> Catalog.parse(YAML.replace("69.76", "99.0")))
        .hasMessageContaining("increasing accuracy");
  }

  @Test
  void profileInterpolatesAndExtrapolatesOverBatchSizes(@TempDir Path dir) {
    LatencyProfile profile =
        new LatencyProfile(
            "now",
            "test",
            List.of(
                new Entry("edge-0", "m", 4, 10.0, 12.0, 50),
                new Entry("edge-0", "m", 1, 4.0, 5.0, 50),
                new Entry("edge-0", "m", 8, 18.0, 20.0, 50)));
    assertThat(profile.medianMs("edge-0", "m", 1)).isEqualTo(4.0);
    assertThat(profile.medianMs("edge-0", "m", 2)).isCloseTo(6.0, within(1e-9));
    assertThat(profile.medianMs("edge-0", "m", 16)).isCloseTo(34.0, within(1e-9));
    // an unprofiled server falls back to a profiled one
    assertThat(profile.medianMs("edge-9", "m", 4)).isEqualTo(10.0);
    assertThatThrownBy(() -> profile.medianMs("edge-0", "other", 1)).hasMessageContaining("other");

    profile.write(dir.resolve("p.json"));
    assertThat(LatencyProfile.load(dir.resolve("p.json"))).isEqualTo(profile);
  }
}
