package io.surge.cli.publish;

import io.surge.cli.results.CommittedTopic;
import io.surge.cli.results.ResultsReader;
import io.surge.schema.DeadLetter;
import io.surge.schema.PolicyUpdate;
import io.surge.schema.wire.AvroWire;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What the {@code policies} topic holds now, each record with its verdict from the {@code
 * dead-letters} topic (read_committed, so a rejection shows one checkpoint of the job after the
 * update was read). A record without a dead letter counts as accepted.
 */
public final class PolicyTopic {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private PolicyTopic() {}

  /** Every policy record in topic order (one partition: the publish order). */
  public static List<PublishedPolicy> read(
      String bootstrap, Properties properties, String policiesTopic, String deadLettersTopic) {
    Map<String, String> rejections = new HashMap<>();
    AvroWire<DeadLetter> letters = AvroWire.of(DeadLetter.class);
    CommittedTopic.readToEnd(
        bootstrap,
        properties,
        deadLettersTopic,
        TIMEOUT,
        record -> {
          try {
            DeadLetter d = ResultsReader.decode(letters, record);
            if (d.getSourceTopic().equals(policiesTopic)) {
              rejections.putIfAbsent(where(d.getPartition(), d.getOffset()), d.getReason());
            }
          } catch (AvroWire.InvalidRecordException e) {
            // not ours to judge here: the dead-letter topic is read only for policy verdicts
          }
        });
    AvroWire<PolicyUpdate> wire = AvroWire.of(PolicyUpdate.class);
    List<PublishedPolicy> out = new ArrayList<>();
    CommittedTopic.readToEnd(
        bootstrap,
        properties,
        policiesTopic,
        TIMEOUT,
        record -> {
          PolicyUpdate update;
          try {
            update = ResultsReader.decode(wire, record);
          } catch (AvroWire.InvalidRecordException e) {
            update = null;
          }
          out.add(
              new PublishedPolicy(
                  record.partition(),
                  record.offset(),
                  update,
                  rejections.get(where(record.partition(), record.offset()))));
        });
    out.sort(
        Comparator.comparingInt(PublishedPolicy::partition)
            .thenComparingLong(PublishedPolicy::offset));
    return out;
  }

  private static String where(long partition, long offset) {
    return partition + "@" + offset;
  }
}
