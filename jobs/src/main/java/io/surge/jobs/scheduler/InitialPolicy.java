package io.surge.jobs.scheduler;

import io.surge.operators.kafka.RawRecord;
import io.surge.policy.onnx.OnnxPolicy;
import io.surge.policy.onnx.PolicyModelContract;
import io.surge.policy.onnx.PolicyRejectedException;
import io.surge.schema.PolicyUpdate;
import io.surge.schema.wire.AvroWire;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

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
      byte[] model = Files.readAllBytes(file);
      Map<String, String> meta = OnnxPolicy.metadata(model);
      return PolicyUpdate.newBuilder()
          .setVersion(Long.parseLong(meta.getOrDefault(PolicyModelContract.VERSION, "0")))
          .setName(file.getFileName().toString())
          .setService(service)
          .setCreatedAt(Instant.now())
          .setSpecHash(meta.getOrDefault(PolicyModelContract.SPEC_HASH, ""))
          .setActions(
              java.util.List.of(meta.getOrDefault(PolicyModelContract.ACTIONS, "").split(",")))
          .setSha256(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model)))
          .setModel(ByteBuffer.wrap(model))
          .setTrainedOn(meta.get(PolicyModelContract.TRAINED_ON))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read policy " + file, e);
    } catch (PolicyRejectedException | NumberFormatException e) {
      throw new IllegalArgumentException(
          "not a Surge policy model: " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The initial policy of the settings as a raw record for the validator. */
  static RawRecord record(SchedulerSettings settings) {
    AvroWire<PolicyUpdate> wire = AvroWire.of(PolicyUpdate.class);
    PolicyUpdate update = update(Path.of(settings.initialPolicy()), null);
    return new RawRecord(SOURCE, 0, 0, 0, null, wire.serialize(update), wire.fingerprint());
  }
}
