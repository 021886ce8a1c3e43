package io.surge.operators;

import io.surge.policy.onnx.PolicyFile;
import io.surge.policy.onnx.PolicyModelContract;
import io.surge.policy.onnx.PolicyRejectedException;
import io.surge.schema.PolicyUpdate;
import io.surge.state.ObservationSpec;
import io.surge.train.export.PolicyModelWriter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Policy models and policy updates for operator tests, written by the real model writer. */
public final class TestPolicies {

  private TestPolicies() {}

  /**
   * A policy that always chooses {@code action} (probability 1 up to float precision): zero weights
   * and a bias of 0 for it, -100 for every other action.
   */
  public static PolicyModelWriter favouring(
      ObservationSpec spec, List<String> variantNames, int action, long version) {
    float[] bias = new float[spec.actionCount()];
    for (int a = 0; a < bias.length; a++) {
      bias[a] = a == action ? 0f : -100f;
    }
    return PolicyModelWriter.forSpec(spec, variantNames)
        .output(new float[spec.dimension() * spec.actionCount()], bias)
        .version(version)
        .trainedOn("poisson:rate=10");
  }

  /**
   * A well-formed update for every service carrying {@code model} with its true SHA-256; the spec
   * hash and actions are copied from the model's metadata (empty when it has none).
   */
  public static PolicyUpdate.Builder update(byte[] model, long version) {
    Map<String, String> meta = metadataOrEmpty(model);
    String actions = meta.getOrDefault(PolicyModelContract.ACTIONS, "");
    return PolicyUpdate.newBuilder()
        .setVersion(version)
        .setName("policy-v" + version)
        .setService(null)
        .setCreatedAt(Instant.ofEpochMilli(1_000))
        .setSpecHash(meta.getOrDefault(PolicyModelContract.SPEC_HASH, ""))
        .setActions(actions.isEmpty() ? List.of() : List.of(actions.split(",")))
        .setSha256(sha256(model))
        .setModel(ByteBuffer.wrap(model))
        .setTrainedOn("poisson:rate=10");
  }

  private static Map<String, String> metadataOrEmpty(byte[] model) {
    try {
      return PolicyFile.of(model, Long.MAX_VALUE, null).metadata();
    } catch (PolicyRejectedException e) {
      return Map.of(); // deliberately broken bytes: the validator under test must say why
    }
  }

  public static String sha256(byte[] bytes) {
    return PolicyFile.sha256(bytes);
  }
}
