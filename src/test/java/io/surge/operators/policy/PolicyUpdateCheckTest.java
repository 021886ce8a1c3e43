package io.surge.operators.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.surge.operators.TestPolicies;
import io.surge.policy.onnx.PolicyFile;
import io.surge.schema.PolicyUpdate;
import io.surge.state.EstimatorSettings;
import io.surge.state.ObservationSpec;
import io.surge.state.ServiceTopology;
import io.surge.state.TestServices;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validator's checks as {@code surge publish} runs them, for what is new in issue 9: a version
 * stamped into a model, and models by reference (file:// and http://) whose SHA-256 is checked
 * after the fetch.
 */
class PolicyUpdateCheckTest {

  private static final int HISTORY = EstimatorSettings.defaults().historyLength();
  private static final long MAX_BYTES = 1 << 20;

  private final ServiceTopology topology = TestServices.topology();
  private final ObservationSpec spec =
      ObservationSpec.of(topology, EstimatorSettings.defaults().withHistoryLength(HISTORY));
  private final PolicyUpdateCheck check =
      new PolicyUpdateCheck(TestServices.catalog(), HISTORY, MAX_BYTES);

  @TempDir Path dir;

  @Test
  void aStampedModelCarriesTheNewVersionAndTheShaOfTheStampedBytes() throws Exception {
    byte[] original = TestPolicies.favouring(spec, topology.actionNames(), 1, 99).toBytes();
    PolicyFile stamped = PolicyFile.of(original, MAX_BYTES, null).withVersion(7);

    assertThat(stamped.version()).isEqualTo(7);
    assertThat(stamped.sha256()).isEqualTo(PolicyFile.sha256(stamped.bytes()));
    assertThat(stamped.specHash()).isEqualTo(spec.hash());
    assertThat(stamped.actions()).isEqualTo(topology.actionNames());
    assertThat(check.problemWith(TestPolicies.update(stamped.bytes(), 7).build(), 6L)).isNull();
    assertThat(check.problemWith(TestPolicies.update(original, 7).build(), null))
        .isEqualTo("update version 7 but the model's surge.version is 99");
    assertThat(stamped.withVersion(99).sha256()).isEqualTo(PolicyFile.sha256(original));
  }

  @Test
  void aModelByFileReferenceIsFetchedAndItsShaCheckedAfterTheFetch() throws Exception {
    byte[] model = TestPolicies.favouring(spec, topology.actionNames(), 1, 3).toBytes();
    Path file = dir.resolve("policy-v3.onnx");
    Files.write(file, model);
    PolicyUpdate byReference = reference(model, 3, file.toUri().toString());

    assertThat(check.problemWith(byReference, null)).isNull();

    byte[] tampered = model.clone();
    tampered[tampered.length / 2] ^= 1;
    Files.write(file, tampered);
    assertThat(check.problemWith(byReference, null))
        .startsWith("CHECKSUM_MISMATCH: sha256 of the model does not match");

    Files.delete(file);
    assertThat(check.problemWith(byReference, null))
        .startsWith("FETCH_FAILED: cannot fetch the model from " + file.toUri());
  }

  @Test
  void aModelByHttpReferenceIsFetchedUpToTheSizeCap() throws Exception {
    byte[] model = TestPolicies.favouring(spec, topology.actionNames(), 1, 3).toBytes();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/policy.onnx",
        ex -> {
          ex.sendResponseHeaders(200, model.length);
          ex.getResponseBody().write(model);
          ex.close();
        });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      assertThat(check.problemWith(reference(model, 3, base + "/policy.onnx"), null)).isNull();
      assertThat(check.problemWith(reference(model, 3, base + "/missing.onnx"), null))
          .startsWith("FETCH_FAILED: GET " + base + "/missing.onnx answered 404");
      PolicyUpdateCheck small = new PolicyUpdateCheck(TestServices.catalog(), HISTORY, 100);
      assertThat(small.problemWith(reference(model, 3, base + "/policy.onnx"), null))
          .startsWith("TOO_LARGE: model at " + base + "/policy.onnx exceeds the limit of 100");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anUpdateWithBothBytesAndAReferenceOrAnotherSchemeIsRefused() throws Exception {
    byte[] model = TestPolicies.favouring(spec, topology.actionNames(), 1, 3).toBytes();
    PolicyUpdate both =
        PolicyUpdate.newBuilder(TestPolicies.update(model, 3).build())
            .setModelUri("file:///tmp/x.onnx")
            .build();
    assertThat(check.problemWith(both, null))
        .contains("carries model bytes and a model_uri; it must have one");
    assertThat(check.problemWith(reference(model, 3, "ftp://host/x.onnx"), null))
        .contains("model_uri must be file://, http:// or https://");
  }

  private static PolicyUpdate reference(byte[] model, long version, String uri) {
    return PolicyUpdate.newBuilder(TestPolicies.update(model, version).build())
        .setModel(ByteBuffer.wrap(new byte[0]))
        .setModelUri(uri)
        .build();
  }
}
