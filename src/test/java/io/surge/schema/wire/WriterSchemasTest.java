package io.surge.schema.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surge.schema.InferenceRequest;
import io.surge.schema.PolicyUpdate;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * The released writer schemas of {@code schemas/history/} and how {@link AvroWire} reads records
 * written with them: a newer writer (v2, an added optional field) and the older one (v1) both
 * resolve into the job's reader schema; an unknown fingerprint is still refused.
 */
class WriterSchemasTest {

  private final AvroWire<InferenceRequest> wire = AvroWire.of(InferenceRequest.class);
  private final WriterSchemas history = WriterSchemas.of(InferenceRequest.SCHEMA$);

  @Test
  void theHistoryHoldsEveryReleasedVersionAndTheFirstIsTheReaderSchema() {
    assertThat(history.versions()).hasSize(2);
    assertThat(WriterSchemas.fingerprint(history.versions().get(0)))
        .isEqualTo(WriterSchemas.fingerprint(InferenceRequest.SCHEMA$));
    assertThat(history.versions().get(1).getField("trace_id")).isNotNull();
  }

  @Test
  void thePolicyUpdateHistoryEndsWithTheReaderSchemaAndItsFirstReleaseHadNoModelUri() {
    WriterSchemas policies = WriterSchemas.of(PolicyUpdate.SCHEMA$);
    assertThat(policies.versions()).hasSize(2);
    assertThat(policies.versions().get(0).getField("model_uri")).isNull();
    assertThat(WriterSchemas.fingerprint(policies.versions().get(1)))
        .isEqualTo(WriterSchemas.fingerprint(PolicyUpdate.SCHEMA$));
  }

  @Test
  void aNewerWriterWithAnAddedOptionalFieldIsReadIntoTheReaderSchema() throws Exception {
    Schema v2 = history.versions().get(1);
    GenericRecord written = request(v2, "new-1");
    written.put("trace_id", "00-abc-01");

    InferenceRequest read = wire.deserialize(bytes(v2, written), WriterSchemas.header(v2));

    assertThat(read.getRequestId()).isEqualTo("new-1");
    assertThat(read.getService()).isEqualTo("image-classification");
    assertThat(read.getDeadlineMs()).isEqualTo(100);
    assertThat(read.getPriority()).isEqualTo(3);
  }

  @Test
  void theOlderWriterIsReadToo() throws Exception {
    Schema v1 = history.versions().get(0);

    InferenceRequest read =
        wire.deserialize(bytes(v1, request(v1, "old-1")), WriterSchemas.header(v1));

    assertThat(read.getRequestId()).isEqualTo("old-1");
    assertThat(read.getPriority()).isEqualTo(3);
  }

  @Test
  void anUnreleasedWriterIsRefusedEvenWhenItWouldResolve() {
    Schema v3 =
        new Schema.Parser()
            .parse(
                history
                    .versions()
                    .get(1)
                    .toString()
                    .replace(
                        "\"name\":\"trace_id\"",
                        "\"name\":\"tenant\",\"type\":[\"null\",\"string\"],\"default\":null},"
                            + "{\"name\":\"trace_id\""));
    GenericRecord written = request(v3, "v3-1");

    assertThatThrownBy(() -> wire.deserialize(bytes(v3, written), WriterSchemas.header(v3)))
        .isInstanceOf(AvroWire.InvalidRecordException.class)
        .hasMessageStartingWith("record written with another schema (fingerprint");
  }

  private static GenericRecord request(Schema schema, String id) {
    GenericRecord r = new GenericData.Record(schema);
    r.put("request_id", id);
    r.put("service", "image-classification");
    r.put("created_at", Instant.parse("2026-11-30T12:00:00Z").toEpochMilli());
    r.put("deadline_ms", 100);
    r.put("priority", 3);
    return r;
  }

  private static byte[] bytes(Schema schema, GenericRecord record) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
