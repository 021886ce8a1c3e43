package io.surge.operators.kafka;

import java.util.Arrays;

/**
 * A Kafka record as it arrived, undecoded, with where it came from. Sources emit these so that a
 * record that cannot be decoded becomes a dead letter instead of failing the job. A Flink POJO.
 */
public class RawRecord {
  public String topic;
  public int partition;
  public long offset;
  public long timestamp;
  public byte[] key;
  public byte[] value;

  /** The {@code surge.schema} header, or null when the producer wrote none. */
  public byte[] schemaHeader;

  public RawRecord() {}

  public RawRecord(
      String topic,
      int partition,
      long offset,
      long timestamp,
      byte[] key,
      byte[] value,
      byte[] schemaHeader) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.key = key;
    this.value = value;
    this.schemaHeader = schemaHeader;
  }

  @Override
  public String toString() {
    return topic
        + "-"
        + partition
        + "@"
        + offset
        + " ("
        + (value == null ? 0 : value.length)
        + " bytes)";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawRecord r
        && topic.equals(r.topic)
        && partition == r.partition
        && offset == r.offset
        && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    return topic.hashCode() * 31 + Long.hashCode(offset) * 17 + partition;
  }
}
