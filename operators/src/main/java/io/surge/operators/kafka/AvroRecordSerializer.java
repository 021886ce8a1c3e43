package io.surge.operators.kafka;

import io.surge.schema.wire.AvroWire;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes Surge records in the wire format of DESIGN.md section 6: raw binary Avro, the {@code
 * surge.schema} fingerprint header, and a string key chosen per record (request id or service). It
 * names its one topic to the sink: the pooled transaction naming lists the open transactions on the
 * sink's topics at start to abort those a failed attempt left behind.
 */
public final class AvroRecordSerializer<T extends SpecificRecord>
    implements KafkaRecordSerializationSchema<T>, KafkaDatasetFacetProvider {

  private final String topic;
  private final Class<T> type;
  private final SerializableFunction<T, String> key;
  private transient AvroWire<T> wire;

  public AvroRecordSerializer(String topic, Class<T> type, SerializableFunction<T, String> key) {
    this.topic = topic;
    this.type = type;
    this.key = key;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      T element, KafkaSinkContext context, Long timestamp) {
    if (wire == null) {
      wire = AvroWire.of(type);
    }
    RecordHeaders headers = new RecordHeaders();
    headers.add(new RecordHeader(AvroWire.SCHEMA_HEADER, wire.fingerprint()));
    return new ProducerRecord<>(
        topic,
        null,
        timestamp,
        key.apply(element).getBytes(StandardCharsets.UTF_8),
        wire.serialize(element),
        headers);
  }

  @Override
  public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
    return Optional.of(
        new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
  }
}
