package io.surge.policy.onnx;

import static io.surge.policy.onnx.PolicyRejectedException.Reason.ACTION_MISMATCH;
import static io.surge.policy.onnx.PolicyRejectedException.Reason.BAD_VERSION;
import static io.surge.policy.onnx.PolicyRejectedException.Reason.CHECKSUM_MISMATCH;
import static io.surge.policy.onnx.PolicyRejectedException.Reason.MISSING_METADATA;
import static io.surge.policy.onnx.PolicyRejectedException.Reason.SPEC_MISMATCH;
import static io.surge.policy.onnx.PolicyRejectedException.Reason.TOO_LARGE;
import static io.surge.policy.onnx.PolicyRejectedException.Reason.UNPARSEABLE;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.surge.state.ObservationSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A policy model file as the contract of DESIGN.md section 6 defines it, checked before any of it
 * runs: its bytes (within a size cap), their SHA-256 (against the one an update claims), a parsed
 * ONNX graph without external data or custom operators, and the {@code surge.*} metadata (version,
 * observation-spec hash, action names, training workload). The job's validator, the scheduler, the
 * initial policy and {@code surge publish} all read a policy through this class, so each check and
 * its message exists once. Running the model is {@link OnnxPolicy}'s part.
 */
public final class PolicyFile {

  /** The default cap on a model's size: policies are small MLPs; broadcast state holds them. */
  public static final long DEFAULT_MAX_BYTES = 16L << 20;

  private final byte[] bytes;
  private final String sha256;
  private final Map<String, String> metadata;

  private PolicyFile(byte[] bytes, String sha256, Map<String, String> metadata) {
    this.bytes = bytes;
    this.sha256 = sha256;
    this.metadata = metadata;
  }

  /**
   * Checks untrusted bytes: not empty, at most {@code maxBytes}, the SHA-256 {@code expectedSha256}
   * claims (when not null), an ONNX model with a graph, nothing outside the file, no custom
   * operators.
   *
   * @throws PolicyRejectedException with the reason and a message naming the problem
   */
  public static PolicyFile of(byte[] bytes, long maxBytes, String expectedSha256)
      throws PolicyRejectedException {
    if (bytes == null || bytes.length == 0) {
      throw new PolicyRejectedException(UNPARSEABLE, "empty model");
    }
    if (bytes.length > maxBytes) {
      throw new PolicyRejectedException(
          TOO_LARGE, "model of " + bytes.length + " bytes exceeds the limit of " + maxBytes);
    }
    String sha = sha256(bytes);
    if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(sha)) {
      throw new PolicyRejectedException(
          CHECKSUM_MISMATCH,
          "sha256 of the model does not match the update's: " + sha + " vs " + expectedSha256);
    }
    ModelProto proto = parse(bytes);
    PolicyModelInspector.checkSafe(proto);
    return new PolicyFile(bytes, sha, PolicyModelInspector.metadata(proto));
  }

  /**
   * The same model with {@code surge.version} set to {@code version} (added when missing), checked
   * again: what {@code surge publish} sends, so that the version the validator requires of an
   * update is the model's own. The SHA-256 of the result is that of the stamped bytes.
   */
  public PolicyFile withVersion(long version) throws PolicyRejectedException {
    if (version <= 0) {
      throw new PolicyRejectedException(
          BAD_VERSION, "surge.version must be a positive integer: '" + version + "'");
    }
    ModelProto proto = parse(bytes);
    ModelProto.Builder stamped = proto.toBuilder().clearMetadataProps();
    boolean found = false;
    for (StringStringEntryProto e : proto.getMetadataPropsList()) {
      if (e.getKey().equals(PolicyModelContract.VERSION)) {
        stamped.addMetadataProps(e.toBuilder().setValue(Long.toString(version)));
        found = true;
      } else {
        stamped.addMetadataProps(e);
      }
    }
    if (!found) {
      stamped.addMetadataProps(
          StringStringEntryProto.newBuilder()
              .setKey(PolicyModelContract.VERSION)
              .setValue(Long.toString(version)));
    }
    return of(stamped.build().toByteArray(), Long.MAX_VALUE, null);
  }

  /** Reads and checks a policy file from disk (default size cap, no expected checksum). */
  public static PolicyFile read(Path file) throws PolicyRejectedException {
    try {
      return of(Files.readAllBytes(file), DEFAULT_MAX_BYTES, null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read policy " + file, e);
    }
  }

  /** Hex SHA-256 of bytes, the form a policy update carries. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  /**
   * Checks the metadata against what the job builds: every required key present, a positive
   * version, the observation spec's hash and the service's variants in action order.
   *
   * @return the model's version
   */
  public long checkFits(ObservationSpec spec, List<String> variantNames)
      throws PolicyRejectedException {
    for (String key :
        List.of(
            PolicyModelContract.SPEC_HASH,
            PolicyModelContract.ACTIONS,
            PolicyModelContract.VERSION)) {
      if (!metadata.containsKey(key)) {
        throw new PolicyRejectedException(MISSING_METADATA, "metadata '" + key + "' is missing");
      }
    }
    long version = version();
    if (!specHash().equals(spec.hash())) {
      throw new PolicyRejectedException(
          SPEC_MISMATCH,
          "trained on observation spec " + specHash() + ", this job builds " + spec.hash());
    }
    if (!actions().equals(variantNames)) {
      throw new PolicyRejectedException(
          ACTION_MISMATCH, "model actions " + actions() + ", catalog variants " + variantNames);
    }
    return version;
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  /** The bytes without a defensive copy, for loading them once. */
  byte[] bytesUnsafe() {
    return bytes;
  }

  public int size() {
    return bytes.length;
  }

  public String sha256() {
    return sha256;
  }

  /** {@code surge.version}: a positive integer. */
  public long version() throws PolicyRejectedException {
    String text = metadata.getOrDefault(PolicyModelContract.VERSION, "");
    try {
      long v = Long.parseLong(text.trim());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new PolicyRejectedException(
        BAD_VERSION, "surge.version must be a positive integer: '" + text + "'");
  }

  /** {@code surge.spec_hash}, or "" when missing. */
  public String specHash() {
    return metadata.getOrDefault(PolicyModelContract.SPEC_HASH, "");
  }

  /** {@code surge.actions}: the variant names in action order (shed excluded). */
  public List<String> actions() {
    return Arrays.stream(metadata.getOrDefault(PolicyModelContract.ACTIONS, "").split(",", -1))
        .map(String::trim)
        .toList();
  }

  /** {@code surge.trained_on}, or "" when missing. */
  public String trainedOn() {
    return metadata.getOrDefault(PolicyModelContract.TRAINED_ON, "");
  }

  /** Every {@code surge.*} metadata entry. */
  public Map<String, String> metadata() {
    return metadata;
  }

  private static ModelProto parse(byte[] model) throws PolicyRejectedException {
    try {
      ModelProto proto = ModelProto.parseFrom(model);
      if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
        throw new PolicyRejectedException(UNPARSEABLE, "not an ONNX model: no graph");
      }
      return proto;
    } catch (InvalidProtocolBufferException e) {
      throw new PolicyRejectedException(UNPARSEABLE, "not an ONNX model: " + e.getMessage(), e);
    }
  }
}
