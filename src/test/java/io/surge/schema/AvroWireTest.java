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
}
