package io.surge.cli.learn;

import io.surge.cli.results.ResultsReader;
import io.surge.schema.Completion;
import io.surge.schema.Transition;
import io.surge.schema.wire.AvroWire;
import io.surge.train.online.OnlineLearner;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Feeds an {@link OnlineLearner} from Kafka. {@code experience} is read read_committed (the job
 * writes it in its checkpoint's transactions) from the learner group's committed offsets, and the
 * offsets are committed after every poll, so a restarted learner goes on where it stopped; a group
 * with no offsets starts one window back (the learner's experience window), not at the topic's 3
 * days. {@code completions} (at-least-once, fast, outside transactions) is read uncommitted from
 * one window back, without a group: only its recent latencies matter. Records written with another
 * schema are counted and skipped (the job dead-letters its own input, not this).
 */
public final class LearnerFeed implements AutoCloseable {

  private static final int MAX_POLL_RECORDS = 5_000;

  private final KafkaConsumer<byte[], byte[]> experience;
  private final KafkaConsumer<byte[], byte[]> completions;
  private final AvroWire<Transition> transitions = AvroWire.of(Transition.class);
  private final AvroWire<Completion> answers = AvroWire.of(Completion.class);
  private long transitionsRead;
  private long completionsRead;
  private long unreadable;

  /**
   * @param group the learner's consumer group (its committed offsets are where it restarts)
   * @param lookBack how far back a group without offsets, and the completions, start
   */
  public LearnerFeed(
      String bootstrap,
      Properties clientProperties,
      String experienceTopic,
      String completionsTopic,
      String group,
      Duration lookBack) {
    Properties committed = properties(bootstrap, clientProperties);
    committed.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    committed.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    this.experience = new KafkaConsumer<>(committed);
    Properties fast = properties(bootstrap, clientProperties);
    fast.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    this.completions = new KafkaConsumer<>(fast);
    long since = System.currentTimeMillis() - lookBack.toMillis();
    assign(experience, experienceTopic, since, true);
    assign(completions, completionsTopic, since, false);
  }

  private static Properties properties(String bootstrap, Properties clientProperties) {
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(MAX_POLL_RECORDS));
    return props;
  }

  /** Every partition of {@code topic}, at its committed offset or the first record since then. */
  private static void assign(
      KafkaConsumer<byte[], byte[]> consumer, String topic, long sinceMillis, boolean grouped) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException("topic " + topic + " does not exist (surge topics create)");
    }
    List<TopicPartition> partitions =
        infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    Map<TopicPartition, OffsetAndMetadata> offsets =
        grouped ? consumer.committed(new HashSet<>(partitions)) : Map.of();
    Map<TopicPartition, Long> times = new HashMap<>();
    for (TopicPartition p : partitions) {
      OffsetAndMetadata at = offsets.get(p);
      if (at != null) {
        consumer.seek(p, at.offset());
      } else {
        times.put(p, sinceMillis);
      }
    }
    if (times.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times);
    Map<TopicPartition, Long> ends = consumer.endOffsets(times.keySet());
    for (TopicPartition p : times.keySet()) {
      OffsetAndTimestamp at = found.get(p);
      consumer.seek(p, at != null ? at.offset() : ends.get(p));
    }
  }

  /**
   * Polls both topics once, hands what arrived to the learner, commits the experience read.
   *
   * @return whether the experience read has caught up: the poll returned less than a full batch (a
   *     backlog, after a restart or a pause, comes in full batches)
   */
  public boolean pollInto(OnlineLearner learner, Duration timeout) {
    for (ConsumerRecord<byte[], byte[]> record : completions.poll(Duration.ZERO)) {
      try {
        learner.observe(ExperienceRecords.completion(ResultsReader.decode(answers, record)));
        completionsRead++;
      } catch (AvroWire.InvalidRecordException e) {
        unreadable++;
      }
    }
    var records = experience.poll(timeout);
    for (ConsumerRecord<byte[], byte[]> record : records) {
      try {
        learner.observe(ExperienceRecords.decision(ResultsReader.decode(transitions, record)));
        transitionsRead++;
      } catch (AvroWire.InvalidRecordException e) {
        unreadable++;
      }
    }
    if (!records.isEmpty()) {
      experience.commitSync();
    }
    return records.count() < MAX_POLL_RECORDS;
  }

  public long transitionsRead() {
    return transitionsRead;
  }

  public long completionsRead() {
    return completionsRead;
  }

  /** Records written with another schema, or corrupt, skipped. */
  public long unreadable() {
    return unreadable;
  }

  @Override
  public void close() {
    experience.close();
    completions.close();
  }
}
