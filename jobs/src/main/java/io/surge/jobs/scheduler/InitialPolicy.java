package io.surge.jobs.scheduler;

import io.surge.operators.kafka.RawRecord;
import io.surge.policy.onnx.PolicyFile;
import io.surge.policy.onnx.PolicyRejectedException;
import io.surge.policy.onnx.ShippedPolicies;
import io.surge.schema.PolicyUpdate;
import io.surge.schema.wire.AvroWire;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Turns a policy ONNX file into a {@link PolicyUpdate}: what {@code surge publish} puts on the
 * policies topic, and what the job injects at start for {@code surge.policy.initial: FILE.onnx}
 * (through the same validator as every other update).
 */
public final class InitialPolicy {

  /** Source-topic name of the injected initial policy in dead letters and logs. */
  static final String SOURCE = "initial-policy";

  private InitialPolicy() {}

  /** The update for a policy file, its version taken from the model's metadata. */
  public static PolicyUpdate update(Path file, String service) {
    try {
      return update(PolicyFile.read(file), file.getFileName().toString(), service);
    } catch (PolicyRejectedException e) {
      throw new IllegalArgumentException(
          "not a Surge policy model: " + file + ": " + e.getMessage(), e);
    }
  }

  /** The update for a policy file or a shipped policy ({@code learned}) by name. */
  public static PolicyUpdate update(String fileOrShippedName, String service) {
    if (!ShippedPolicies.isShipped(fileOrShippedName)) {
      return update(Path.of(fileOrShippedName), service);
    }
    try {
      PolicyFile policy =
          PolicyFile.of(
              ShippedPolicies.read(fileOrShippedName), PolicyFile.DEFAULT_MAX_BYTES, null);
      return update(policy, ShippedPolicies.fileName(fileOrShippedName), service);
    } catch (PolicyRejectedException e) {
      throw new IllegalStateException(
          "the shipped policy '" + fileOrShippedName + "' is invalid: " + e.getMessage(), e);
    }
  }

  private static PolicyUpdate update(PolicyFile policy, String name, String service)
      throws PolicyRejectedException {
    return PolicyUpdate.newBuilder()
        .setVersion(policy.version())
        .setName(name)
        .setService(service)
        .setCreatedAt(Instant.now())
        .setSpecHash(policy.specHash())
        .setActions(policy.actions())
        .setSha256(policy.sha256())
        .setModel(ByteBuffer.wrap(policy.bytes()))
        .setTrainedOn(policy.trainedOn())
        .build();
  }

  /** The initial policy of the settings as a raw record for the validator. */
  static RawRecord record(SchedulerSettings settings) {
    AvroWire<PolicyUpdate> wire = AvroWire.of(PolicyUpdate.class);
    PolicyUpdate update = update(settings.initialPolicy(), null);
    return new RawRecord(SOURCE, 0, 0, 0, null, wire.serialize(update), wire.fingerprint());
  }
}
