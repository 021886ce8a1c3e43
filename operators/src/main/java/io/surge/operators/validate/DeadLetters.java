package io.surge.operators.validate;

import io.surge.operators.kafka.RawRecord;
import io.surge.schema.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.apache.flink.util.OutputTag;

/** The dead-letter side output shared by every validating function, and how records enter it. */
public final class DeadLetters {

  /** Side output of every function that rejects input. */
  public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters") {};

  /** Raw values kept in a dead letter are capped so one huge bad record cannot clog the DLQ. */
  static final int MAX_KEPT_VALUE_BYTES = 64 * 1024;

  private DeadLetters() {}

  public static DeadLetter of(RawRecord record, String reason, long nowMillis) {
    return DeadLetter.newBuilder()
        .setSourceTopic(record.topic)
        .setPartition(record.partition)
        .setOffset(record.offset)
        .setKey(record.key == null ? null : ByteBuffer.wrap(record.key))
        .setValue(record.value == null ? null : ByteBuffer.wrap(capped(record.value)))
        .setReason(reason)
        .setFailedAt(Instant.ofEpochMilli(nowMillis))
        .build();
  }

  private static byte[] capped(byte[] value) {
    return value.length <= MAX_KEPT_VALUE_BYTES
        ? value
        : Arrays.copyOf(value, MAX_KEPT_VALUE_BYTES);
  }
}
