package io.surge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s/flink-deployment.yaml against the Flink Kubernetes Operator's own CRD schema (from its
 * published jar), strictly: an unknown or misspelt field fails, as {@code kubectl apply
 * --validate=strict} would, so the manifest cannot rot unnoticed.
 */
class FlinkDeploymentManifestTest {

  private static final String CRD = "META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml";
  private static final Path MANIFEST = Path.of("deploy/k8s/flink-deployment.yaml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void theManifestMeetsTheOperatorsSchema() throws IOException {
    JsonNode manifest = YAML.readTree(MANIFEST.toFile());
    assertThat(manifest.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
    assertThat(manifest.path("kind").asText()).isEqualTo("FlinkDeployment");

    Set<ValidationMessage> problems = schema().validate(manifest);

    assertThat(problems).isEmpty();
    JsonNode config = manifest.path("spec").path("flinkConfiguration");
    assertThat(config.path("metrics.reporter.prom.factory.class").asText())
        .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
  }

  @Test
  void strictValidationCatchesAMisspeltField() throws IOException {
    ObjectNode manifest = (ObjectNode) YAML.readTree(MANIFEST.toFile());
    ((ObjectNode) manifest.path("spec")).put("parallelizm", 2);
    assertThat(schema().validate(manifest)).isNotEmpty();
  }

  private static JsonSchema schema() throws IOException {
    JsonNode crd;
    try (InputStream in =
        FlinkDeploymentManifestTest.class.getClassLoader().getResourceAsStream(CRD)) {
      assertThat(in).as("the operator's CRD on the test classpath").isNotNull();
      crd = YAML.readTree(in);
    }
    JsonNode version = crd.path("spec").path("versions").get(0);
    assertThat(version.path("name").asText()).isEqualTo("v1beta1");
    ObjectNode schema = (ObjectNode) version.path("schema").path("openAPIV3Schema").deepCopy();
    allowFlinkTwo(schema);
    // every Kubernetes object has these; the CRD's schema leaves them to the API server
    ObjectNode root = (ObjectNode) schema.path("properties");
    root.putObject("apiVersion").put("type", "string");
    root.putObject("kind").put("type", "string");
    root.putObject("metadata").put("type", "object");
    strict(schema);
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
  }

  /**
   * The operator release Maven Central serves (1.10.0) predates Flink 2: its flinkVersion enum ends
   * at v1_20. Later operator releases list v2_x; the manifest names the project's Flink (2.2).
   */
  private static void allowFlinkTwo(ObjectNode schema) {
    ArrayNode versions =
        (ArrayNode)
            schema
                .path("properties")
                .path("spec")
                .path("properties")
                .path("flinkVersion")
                .path("enum");
    versions.add("v2_2");
  }

  /** Unknown fields are errors wherever the schema lists an object's properties. */
  private static void strict(JsonNode node) {
    if (node instanceof ObjectNode object) {
      if (object.has("properties")
          && !object.has("additionalProperties")
          && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
        object.put("additionalProperties", false);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        strict(it.next().getValue());
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(FlinkDeploymentManifestTest::strict);
    }
  }
}
