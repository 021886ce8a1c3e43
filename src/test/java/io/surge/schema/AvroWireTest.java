package io.surge.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surge.schema.wire.AvroWire;
import io.surge.schema.wire.AvroWire.InvalidRecordException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvroWireTest {

  private final AvroWire<InferenceRequest> requests = AvroWire.of(InferenceRequest.class);

  static InferenceRequest request() {
    return InferenceRequest.newBuilder()
        .setRequestId("r-1")
        .setService("image-classification")
        .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L))
        .setDeadlineMs(100)
        .setPayload(
            Tensor.newBuilder()
                .setName("input")
                .setDatatype("FP32")
                .setShape(List.of(1L, 2L))
                .setData(ByteBuffer.wrap(new byte[8]))
                .build())
        .build();
  }

  @Test
  void roundTripsWithItsOwnFingerprint() throws Exception {
    byte[] bytes = requests.serialize(request());
    assertThat(requests.deserialize(bytes, requests.fingerprint())).isEqualTo(request());
    assertThat(requests.fingerprint()).hasSize(8);
  }

  @Test
  void acceptsRecordsWithoutHeaderLikeFlinkSqlWritesThem() throws Exception {
    assertThat(requests.deserialize(requests.serialize(request()), null)).isEqualTo(request());
  }

  @Test
  void refusesAnotherSchemasFingerprint() {
    byte[] otherHeader = AvroWire.of(InferenceResult.class).fingerprint();
    byte[] bytes = requests.serialize(request());
    assertThatThrownBy(() -> requests.deserialize(bytes, otherHeader))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("another schema");
  }

  @Test
  void refusesTruncatedAndTrailingBytes() {
    byte[] bytes = requests.serialize(request());
    assertThatThrownBy(() -> requests.deserialize(Arrays.copyOf(bytes, bytes.length - 3)))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("InferenceRequest");
    assertThatThrownBy(() -> requests.deserialize(Arrays.copyOf(bytes, bytes.length + 2)))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void everyTopicSchemaHasItsOwnFingerprint() {
    var fingerprints =
        List.of(
                InferenceRequest.class,
                InferenceResult.class,
                Completion.class,
                PolicyUpdate.class,
                Transition.class,
                DeadLetter.class)
            .stream()
            .map(c -> ByteBuffer.wrap(AvroWire.of(c).fingerprint()))
            .distinct()
            .count();
    assertThat(fingerprints).isEqualTo(6);
  }

  @Test
  void aPolicyUpdateWrittenWithTheSchemaBeforeModelUriIsStillRead() throws Exception {
    // the first PolicyUpdate schema, as producers built against it still write it
    org.apache.avro.Schema first =
        new org.apache.avro.Schema.Parser()
            .parse(
                new String(
                        java.nio.file.Files.readAllBytes(
                            java.nio.file.Path.of("schemas/PolicyUpdate.avsc")))
                    .replaceAll(",\\s*\\{\"name\": \"model_uri\"[^\\n]*\\n", "\n"));
    assertThat(first.getField("model_uri")).isNull();
    org.apache.avro.generic.GenericRecord old =
        new org.apache.avro.generic.GenericData.Record(first);
    old.put("version", 4L);
    old.put("name", "old-writer");
    old.put("created_at", 1_000L);
    old.put("spec_hash", "h");
    old.put("actions", List.of("a", "b"));
    old.put("sha256", "00");
    old.put("model", ByteBuffer.wrap(new byte[] {1, 2, 3}));
    old.put("trained_on", "poisson:rate=10");
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(bytes, null);
    new org.apache.avro.generic.GenericDatumWriter<org.apache.avro.generic.GenericRecord>(first)
        .write(old, encoder);
    encoder.flush();
    byte[] header =
        ByteBuffer.allocate(8)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN)
            .putLong(org.apache.avro.SchemaNormalization.parsingFingerprint64(first))
            .array();
    AvroWire<PolicyUpdate> wire = AvroWire.of(PolicyUpdate.class);

    PolicyUpdate read = wire.deserialize(bytes.toByteArray(), header);

    assertThat(wire.matches(header)).as("another fingerprint than the current one").isFalse();
    assertThat(read.getVersion()).isEqualTo(4L);
    assertThat(read.getName()).isEqualTo("old-writer");
    assertThat(read.getCreatedAt()).isEqualTo(Instant.ofEpochMilli(1_000));
    assertThat(AvroWire.toBytes(read.getModel())).containsExactly(1, 2, 3);
    assertThat(read.getModelUri()).isNull();
  }
}
