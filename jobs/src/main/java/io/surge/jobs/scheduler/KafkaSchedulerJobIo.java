package io.surge.jobs.scheduler;

import io.surge.jobs.config.JobConfig;
import io.surge.jobs.config.SurgeOptions;
import io.surge.jobs.kafka.Topics;
import io.surge.jobs.kafka.Topics.Topic;
import io.surge.operators.kafka.AvroRecordSerializer;
import io.surge.operators.kafka.RawRecord;
import io.surge.operators.kafka.RawRecordDeserializer;
import io.surge.schema.Completion;
import io.surge.schema.DeadLetter;
import io.surge.schema.InferenceResult;
import io.surge.schema.Transition;
import java.time.Duration;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;

/**
 * The production sources and sinks: Kafka topics in Surge's wire format. {@code results} and {@code
 * dead-letters} are exactly-once (transactional); {@code completions} is at-least-once and read
 * uncommitted because the scheduler needs it within milliseconds, and applies each request id once;
 * {@code experience} is at-least-once (the trainer deduplicates).
 */
public final class KafkaSchedulerJobIo implements SchedulerJobIo {

  /** How long the experience producer waits to fill a batch (Kafka's default is 5 ms). */
  static final Duration EXPERIENCE_LINGER = Duration.ofMillis(20);

  /** The experience producer's batch size (Kafka's default is 16 KB). */
  static final int EXPERIENCE_BATCH_BYTES = 256 * 1024;

  private final Configuration config;
  private final Properties kafka;
  private final Topics topics;

  public KafkaSchedulerJobIo(Configuration config) {
    this.config = config;
    this.kafka = JobConfig.kafkaProperties(config);
    this.topics = Topics.withPrefix(config.get(SurgeOptions.TOPIC_PREFIX));
  }

  @Override
  public DataStream<RawRecord> requests(StreamExecutionEnvironment env) {
    return source(env, Topic.REQUESTS, "read_committed");
  }

  @Override
  public DataStream<RawRecord> completions(StreamExecutionEnvironment env) {
    return source(env, Topic.COMPLETIONS, "read_uncommitted");
  }

  @Override
  public DataStream<RawRecord> policies(StreamExecutionEnvironment env) {
    return source(env, Topic.POLICIES, "read_committed");
  }

  private DataStream<RawRecord> source(
      StreamExecutionEnvironment env, Topic topic, String isolation) {
    // uids use the unprefixed name: the same savepoint maps onto the job whatever the prefix
    String name = topic.baseName();
    Properties props = new Properties();
    props.putAll(kafka);
    props.setProperty("isolation.level", isolation);
    KafkaSource<RawRecord> source =
        KafkaSource.<RawRecord>builder()
            .setBootstrapServers(config.get(SurgeOptions.BOOTSTRAP_SERVERS))
            .setTopics(topics.name(topic))
            .setGroupId(config.get(SurgeOptions.GROUP_ID))
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setDeserializer(new RawRecordDeserializer())
            .setProperties(props)
            .build();
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka:" + name)
        .uid(SchedulerUids.source(name));
  }

  @Override
  public void results(DataStream<InferenceResult> results) {
    sinkTo(
        results,
        Topic.RESULTS,
        InferenceResult.class,
        InferenceResult::getRequestId,
        DeliveryGuarantee.EXACTLY_ONCE);
  }

  @Override
  public void completions(DataStream<Completion> completions) {
    sinkTo(
        completions,
        Topic.COMPLETIONS,
        Completion.class,
        Completion::getRequestId,
        DeliveryGuarantee.AT_LEAST_ONCE);
  }

  @Override
  public void experience(DataStream<Transition> transitions) {
    sinkTo(
        transitions,
        Topic.EXPERIENCE,
        Transition.class,
        Transition::getRequestId,
        DeliveryGuarantee.AT_LEAST_ONCE);
  }

  @Override
  public void deadLetters(DataStream<DeadLetter> deadLetters) {
    sinkTo(
        deadLetters,
        Topic.DEAD_LETTERS,
        DeadLetter.class,
        d -> d.getSourceTopic() + "-" + d.getPartition() + "@" + d.getOffset(),
        DeliveryGuarantee.EXACTLY_ONCE);
  }

  private <T extends SpecificRecord> void sinkTo(
      DataStream<T> stream,
      Topic topic,
      Class<T> type,
      SerializableFunction<T, String> key,
      DeliveryGuarantee guarantee) {
    stream
        .sinkTo(sink(topic, type, key, guarantee))
        .uid(SchedulerUids.sink(topic.baseName()))
        .name("kafka:" + topic.baseName());
  }

  private <T extends SpecificRecord> KafkaSink<T> sink(
      Topic topic,
      Class<T> type,
      SerializableFunction<T, String> key,
      DeliveryGuarantee guarantee) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.setProperty(
        "transaction.timeout.ms",
        String.valueOf(config.get(SurgeOptions.TRANSACTION_TIMEOUT).toMillis()));
    if (topic == Topic.COMPLETIONS) {
      // fast feedback: no wait to fill batches unless configured
      props.setProperty(
          "linger.ms", String.valueOf(config.get(SurgeOptions.COMPLETIONS_LINGER).toMillis()));
    } else if (topic == Topic.EXPERIENCE) {
      // nobody waits on experience by the millisecond (the trainer reads it in batches): fill
      // producer batches rather than send a produce request every few transitions
      props.setProperty("linger.ms", String.valueOf(EXPERIENCE_LINGER.toMillis()));
      props.setProperty("batch.size", String.valueOf(EXPERIENCE_BATCH_BYTES));
    }
    return KafkaSink.<T>builder()
        .setBootstrapServers(config.get(SurgeOptions.BOOTSTRAP_SERVERS))
        .setRecordSerializer(new AvroRecordSerializer<>(topics.name(topic), type, key))
        .setDeliveryGuarantee(guarantee)
        .setTransactionalIdPrefix(
            config.get(SurgeOptions.TRANSACTIONAL_ID_PREFIX) + "-" + topic.baseName())
        .setTransactionNamingStrategy(config.get(SurgeOptions.TRANSACTION_NAMING))
        .setKafkaProducerConfig(props)
        .build();
  }
}
