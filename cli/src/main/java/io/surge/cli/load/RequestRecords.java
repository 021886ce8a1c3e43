package io.surge.cli.load;

import io.surge.schema.Completion;
import io.surge.schema.InferenceRequest;
import io.surge.schema.Tensor;
import io.surge.schema.wire.AvroWire;
import io.surge.state.catalog.Catalog;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Builds the producer records of the load generator: valid requests (key = service, value = Avro,
 * header {@code surge.schema}) and the deliberately invalid kinds of {@link InvalidKind}.
 *
 * <p>A payload is an FP32 tensor shaped {@code [1, ...input shape]} (one request is a batch of one)
 * named after the service's input. Drawing fresh random floats for every request would cost more
 * than sending it, so each service has a small pool of random tensors to pick from.
 */
final class RequestRecords {

  /**
   * Diagnostic header on invalid records naming their {@link InvalidKind}; never needed to parse.
   */
  static final String INVALID_HEADER = "surge.load.invalid";

  private static final int PAYLOAD_POOL = 8;

  private final String topic;
  private final List<Catalog.Service> services;
  private final Integer deadlineOverride;
  private final Map<String, List<Tensor>> payloads = new HashMap<>();
  private final SplittableRandom rng;
  private final AvroWire<InferenceRequest> wire = AvroWire.of(InferenceRequest.class);
  private final byte[] foreignFingerprint = AvroWire.of(Completion.class).fingerprint();

  RequestRecords(Catalog catalog, LoadOptions options) {
    this.topic = options.topic();
    this.services = selectServices(catalog, options.services());
    this.deadlineOverride = options.deadlineMs();
    this.rng = new SplittableRandom(options.seed());
    if (options.withPayload()) {
      for (Catalog.Service s : services) {
        payloads.put(s.name(), payloadPool(s));
      }
    }
  }

  /** A valid request with a fresh service choice and creation time. */
  ProducerRecord<byte[], byte[]> valid(String requestId, Instant now) {
    InferenceRequest request = request(requestId, now);
    return record(request.getService(), wire.serialize(request), wire.fingerprint(), null);
  }

  /** An invalid record of the given kind. */
  ProducerRecord<byte[], byte[]> invalid(InvalidKind kind, String requestId, Instant now) {
    InferenceRequest request = request(requestId, now);
    return switch (kind) {
      case TRUNCATED_BYTES -> {
        byte[] bytes = wire.serialize(request);
        yield record(
            request.getService(), Arrays.copyOf(bytes, bytes.length / 2), wire.fingerprint(), kind);
      }
      case WRONG_SCHEMA_HEADER ->
          record(request.getService(), wire.serialize(request), foreignFingerprint, kind);
      case NEGATIVE_DEADLINE -> {
        request.setDeadlineMs(-Math.abs(request.getDeadlineMs()));
        yield record(request.getService(), wire.serialize(request), wire.fingerprint(), kind);
      }
      case UNKNOWN_SERVICE -> {
        request.setService(InvalidKind.UNKNOWN_SERVICE_NAME);
        yield record(request.getService(), wire.serialize(request), wire.fingerprint(), kind);
      }
    };
  }

  private InferenceRequest request(String requestId, Instant now) {
    Catalog.Service service = services.get(rng.nextInt(services.size()));
    List<Tensor> pool = payloads.get(service.name());
    return InferenceRequest.newBuilder()
        .setRequestId(requestId)
        .setService(service.name())
        .setCreatedAt(now)
        .setDeadlineMs(deadlineOverride != null ? deadlineOverride : service.deadlineMs())
        .setPayload(pool == null ? null : pool.get(rng.nextInt(pool.size())))
        .build();
  }

  private ProducerRecord<byte[], byte[]> record(
      String service, byte[] value, byte[] schemaHeader, InvalidKind kind) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic, service.getBytes(StandardCharsets.UTF_8), value);
    record.headers().add(new RecordHeader(AvroWire.SCHEMA_HEADER, schemaHeader));
    if (kind != null) {
      record.headers().add(INVALID_HEADER, kind.name().getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }

  private static List<Catalog.Service> selectServices(Catalog catalog, List<String> names) {
    if (names.isEmpty()) {
      if (catalog.services().isEmpty()) {
        throw new IllegalArgumentException("the catalog has no services to load");
      }
      return catalog.services();
    }
    List<Catalog.Service> out = new ArrayList<>();
    for (String name : names) {
      Catalog.Service s = catalog.service(name);
      if (s == null) {
        throw new IllegalArgumentException("service '" + name + "' is not in the catalog");
      }
      out.add(s);
    }
    return out;
  }

  private List<Tensor> payloadPool(Catalog.Service service) {
    Catalog.TensorSpec input = service.variants().get(0).input();
    if (input == null || !"FP32".equals(input.datatype())) {
      throw new IllegalArgumentException(
          "service '"
              + service.name()
              + "': payloads are generated for FP32 inputs only"
              + " (input is "
              + (input == null ? "undeclared" : input.datatype())
              + "); send null payloads instead");
    }
    List<Long> shape = new ArrayList<>();
    shape.add(1L);
    shape.addAll(input.shape());
    int elements = Math.toIntExact(input.elementCount());
    List<Tensor> pool = new ArrayList<>();
    for (int i = 0; i < PAYLOAD_POOL; i++) {
      ByteBuffer data = ByteBuffer.allocate(elements * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (int e = 0; e < elements; e++) {
        data.putFloat((float) rng.nextDouble());
      }
      data.flip();
      pool.add(
          Tensor.newBuilder()
              .setName(input.name())
              .setDatatype("FP32")
              .setShape(shape)
              .setData(data)
              .build());
    }
    return pool;
  }
}
