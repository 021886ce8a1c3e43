package io.surge.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.schema.wire.AvroWire;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/**
 * docs/PRODUCERS.md tells producers in other languages the wire format; its worked example's bytes
 * (produced independently with avsc) must be what Surge's own serde writes and reads.
 */
class ProducersDocTest {

  private static final Path DOC = Path.of("docs/PRODUCERS.md");
  private final AvroWire<InferenceRequest> wire = AvroWire.of(InferenceRequest.class);

  @Test
  void theCanonicalFormAndHeaderAreTheSerdes() throws IOException {
    assertThat(block("canonical")).isEqualTo(SchemaNormalization.toParsingForm(wire.schema()));
    assertThat(HexFormat.of().parseHex(hex("header"))).isEqualTo(wire.fingerprint());
    long fingerprint = SchemaNormalization.parsingFingerprint64(wire.schema());
    assertThat(text()).contains("`0x" + Long.toHexString(fingerprint) + "`");
    assertThat(ByteBuffer.wrap(wire.fingerprint()).order(ByteOrder.LITTLE_ENDIAN).getLong())
        .isEqualTo(fingerprint);
  }

  @Test
  void theWorkedExamplesAreTheSerdesBytes() throws Exception {
    InferenceRequest r1 =
        InferenceRequest.newBuilder()
            .setRequestId("r-1")
            .setService("image-classification")
            .setCreatedAt(Instant.ofEpochMilli(1764460800000L))
            .setDeadlineMs(100)
            .build();
    ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    data.putFloat(0.5f).putFloat(-1f).putFloat(2f).putFloat(0.25f).flip();
    InferenceRequest r2 =
        InferenceRequest.newBuilder()
            .setRequestId("r-2")
            .setService("image-classification")
            .setCreatedAt(Instant.ofEpochMilli(1764460800250L))
            .setDeadlineMs(100)
            .setMinAccuracy(75.0)
            .setPayload(
                Tensor.newBuilder()
                    .setName("input")
                    .setDatatype("FP32")
                    .setShape(List.of(1L, 4L))
                    .setData(data)
                    .build())
            .build();
    for (InferenceRequest request : List.of(r1, r2)) {
      byte[] documented = HexFormat.of().parseHex(hex("value " + request.getRequestId()));
      assertThat(HexFormat.of().formatHex(wire.serialize(request)))
          .isEqualTo(HexFormat.of().formatHex(documented));
      assertThat(wire.deserialize(documented, wire.fingerprint())).isEqualTo(request);
    }
    assertThat(HexFormat.of().parseHex(hex("value r-1"))).hasSize(37);
  }

  private static String text() throws IOException {
    return Files.readString(DOC);
  }

  /** The fenced block after {@code <!-- check:NAME -->}. */
  private static String block(String name) throws IOException {
    String text = text();
    int marker = text.indexOf("<!-- check:" + name + " -->");
    assertThat(marker).as("marker %s", name).isNotNegative();
    int open = text.indexOf('\n', text.indexOf("```", marker)) + 1;
    int close = text.indexOf("```", open);
    return text.substring(open, close).strip();
  }

  private static String hex(String name) throws IOException {
    return block(name).replaceAll("\\s+", "");
  }
}
