package io.surge.cli.chaos;

import io.surge.schema.Completion;
import io.surge.schema.InferenceRequest;
import io.surge.schema.Tensor;
import io.surge.schema.wire.AvroWire;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Every kind of hostile record the request validator knows (decoding in {@code AvroWire}, the
 * checks of {@code RequestValidationFunction}) and what the job must make of it: a dead letter
 * whose reason contains {@link #reason()}, or — for the two kinds the wire contract accepts (no
 * schema header, no key) — a result like any valid request.
 */
enum HostileKind {
  TRUNCATED_AVRO("not a valid InferenceRequest"),
  TRAILING_BYTES("trailing bytes"),
  FOREIGN_FINGERPRINT("written with another schema"),
  SHORT_SCHEMA_HEADER("written with another schema"),
  /** A Completion's bytes under the InferenceRequest fingerprint: any dead-letter reason. */
  WRONG_SCHEMA(""),
  /** Random bytes under the right header: any dead-letter reason. */
  GARBAGE_BYTES(""),
  EMPTY_VALUE("not a valid InferenceRequest"),
  NULL_VALUE("null value"),
  NO_HEADER_TRUNCATED("not a valid InferenceRequest"),
  NULL_KEY_TRUNCATED("not a valid InferenceRequest"),
  /** A valid request without the schema header: plain Avro producers write none (accepted). */
  NO_HEADER_VALID(null),
  /** A valid request without a key: the job keys by the decoded service (accepted). */
  NULL_KEY_VALID(null),
  EMPTY_REQUEST_ID("empty request_id"),
  UNKNOWN_SERVICE("unknown service"),
  MISSING_DEADLINE("missing deadline_ms"),
  NEGATIVE_DEADLINE("deadline_ms must be positive"),
  ZERO_DEADLINE("deadline_ms must be positive"),
  HUGE_DEADLINE("exceeds the limit of"),
  BAD_CREATED_AT("created_at must be a positive epoch time"),
  BAD_MIN_ACCURACY("min_accuracy must be within"),
  NEGATIVE_PRIORITY("priority must not be negative"),
  OVERSIZED_PAYLOAD("bytes exceeds the limit of"),
  WRONG_DATATYPE("payload datatype"),
  WRONG_SHAPE("payload shape"),
  NEGATIVE_DIMENSION("negative dimension"),
  OVERFLOWING_SHAPE("overflows"),
  WRONG_BYTE_COUNT("its shape needs");

  private final String reason;

  HostileKind(String reason) {
    this.reason = reason;
  }

  /** What the dead letter's reason must contain ("" any); null when a result is due instead. */
  String reason() {
    return reason;
  }

  boolean expectsResult() {
    return reason == null;
  }

  /** Builds the records of each kind; one instance per producing thread. */
  static final class Builder {
    private final String topic;
    private final String service;
    private final Tensor payload;
    private final int maxDeadlineMs;
    private final int maxPayloadBytes;
    private final SplittableRandom rng;
    private final AvroWire<InferenceRequest> wire = AvroWire.of(InferenceRequest.class);
    private final AvroWire<Completion> completions = AvroWire.of(Completion.class);

    Builder(
        String topic,
        String service,
        Tensor payload,
        int maxDeadlineMs,
        int maxPayloadBytes,
        long seed) {
      this.topic = topic;
      this.service = service;
      this.payload = payload;
      this.maxDeadlineMs = maxDeadlineMs;
      this.maxPayloadBytes = maxPayloadBytes;
      this.rng = new SplittableRandom(seed);
    }

    /** A valid request as any producer writes it. */
    ProducerRecord<byte[], byte[]> valid(String id, Instant now) {
      return record(key(), wire.serialize(request(id, now)), wire.fingerprint());
    }

    ProducerRecord<byte[], byte[]> hostile(HostileKind kind, String id, Instant now) {
      InferenceRequest r = request(id, now);
      byte[] good = wire.serialize(r);
      byte[] fp = wire.fingerprint();
      return switch (kind) {
        case TRUNCATED_AVRO -> record(key(), Arrays.copyOf(good, good.length / 2), fp);
        case TRAILING_BYTES -> record(key(), concat(good, new byte[] {1, 2, 3}), fp);
        case FOREIGN_FINGERPRINT -> record(key(), good, completions.fingerprint());
        case SHORT_SCHEMA_HEADER -> record(key(), good, new byte[] {1, 2, 3});
        case WRONG_SCHEMA -> record(key(), completionBytes(id, now), fp);
        case GARBAGE_BYTES -> record(key(), garbage(), fp);
        case EMPTY_VALUE -> record(key(), new byte[0], fp);
        case NULL_VALUE -> record(key(), null, fp);
        case NO_HEADER_TRUNCATED -> record(key(), Arrays.copyOf(good, good.length / 2), null);
        case NULL_KEY_TRUNCATED -> record(null, Arrays.copyOf(good, good.length / 2), fp);
        case NO_HEADER_VALID -> record(key(), good, null);
        case NULL_KEY_VALID -> record(null, good, fp);
        case EMPTY_REQUEST_ID -> decodable(with(r, b -> b.setRequestId("")));
        case UNKNOWN_SERVICE -> decodable(with(r, b -> b.setService("no-such-service")));
        case MISSING_DEADLINE -> decodable(with(r, b -> b.setDeadlineMs(null)));
        case NEGATIVE_DEADLINE -> decodable(with(r, b -> b.setDeadlineMs(-ChaosRig.DEADLINE_MS)));
        case ZERO_DEADLINE -> decodable(with(r, b -> b.setDeadlineMs(0)));
        case HUGE_DEADLINE -> decodable(with(r, b -> b.setDeadlineMs(hugeDeadline())));
        case BAD_CREATED_AT -> decodable(with(r, b -> b.setCreatedAt(Instant.ofEpochMilli(-5))));
        case BAD_MIN_ACCURACY -> decodable(with(r, b -> b.setMinAccuracy(150.0)));
        case NEGATIVE_PRIORITY -> decodable(with(r, b -> b.setPriority(-1)));
        case OVERSIZED_PAYLOAD ->
            decodable(with(r, b -> b.setPayload(tensor("FP32", shape(), maxPayloadBytes + 4))));
        case WRONG_DATATYPE ->
            decodable(with(r, b -> b.setPayload(tensor("INT64", shape(), dataBytes()))));
        case WRONG_SHAPE ->
            decodable(with(r, b -> b.setPayload(tensor("FP32", List.of(2L, 3L), dataBytes()))));
        case NEGATIVE_DIMENSION ->
            decodable(with(r, b -> b.setPayload(tensor("FP32", List.of(1L, -4L), dataBytes()))));
        case OVERFLOWING_SHAPE ->
            decodable(
                with(
                    r,
                    b ->
                        b.setPayload(
                            tensor("FP32", List.of(1L, 1L << 40, 1L << 40), dataBytes()))));
        case WRONG_BYTE_COUNT ->
            decodable(with(r, b -> b.setPayload(tensor("FP32", shape(), dataBytes() - 4))));
      };
    }

    private int hugeDeadline() {
      return rng.nextBoolean() ? maxDeadlineMs + 1 : Integer.MAX_VALUE;
    }

    private InferenceRequest request(String id, Instant now) {
      return InferenceRequest.newBuilder()
          .setRequestId(id)
          .setService(service)
          .setCreatedAt(now)
          .setDeadlineMs(ChaosRig.DEADLINE_MS)
          .setPayload(payload)
          .build();
    }

    private static InferenceRequest with(
        InferenceRequest r, java.util.function.Consumer<InferenceRequest.Builder> change) {
      InferenceRequest.Builder b = InferenceRequest.newBuilder(r);
      change.accept(b);
      return b.build();
    }

    private ProducerRecord<byte[], byte[]> decodable(InferenceRequest r) {
      return record(key(), wire.serialize(r), wire.fingerprint());
    }

    private byte[] completionBytes(String id, Instant now) {
      return completions.serialize(
          Completion.newBuilder()
              .setRequestId(id)
              .setService(service)
              .setVariant("resnet18-like")
              .setServer("edge-0")
              .setStatus("OK")
              .setLatencyMs(3.5)
              .setCompletedAt(now)
              .setReward(70.0)
              .build());
    }

    private byte[] garbage() {
      byte[] b = new byte[1 + rng.nextInt(256)];
      rng.nextBytes(b);
      return b;
    }

    private List<Long> shape() {
      return payload.getShape();
    }

    private int dataBytes() {
      return payload.getData().remaining();
    }

    private Tensor tensor(String datatype, List<Long> shape, int bytes) {
      return Tensor.newBuilder(payload)
          .setDatatype(datatype)
          .setShape(new ArrayList<>(shape))
          .setData(ByteBuffer.allocate(bytes))
          .build();
    }

    private byte[] key() {
      return service.getBytes(StandardCharsets.UTF_8);
    }

    private ProducerRecord<byte[], byte[]> record(byte[] key, byte[] value, byte[] schemaHeader) {
      ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key, value);
      if (schemaHeader != null) {
        record.headers().add(new RecordHeader(AvroWire.SCHEMA_HEADER, schemaHeader));
      }
      return record;
    }

    private static byte[] concat(byte[] a, byte[] b) {
      byte[] out = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, out, a.length, b.length);
      return out;
    }
  }
}
