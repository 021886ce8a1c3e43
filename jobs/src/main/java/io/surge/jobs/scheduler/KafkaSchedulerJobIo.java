package io.surge.jobs.scheduler;

import io.surge.jobs.config.JobConfig;
import io.surge.jobs.config.SurgeOptions;
import io.surge.operators.kafka.AvroRecordSerializer;
import io.surge.operators.kafka.RawRecord;
import io.surge.operators.kafka.RawRecordDeserializer;
import io.surge.schema.Completion;
import io.surge.schema.DeadLetter;
import io.surge.schema.InferenceResult;
import io.surge.schema.Transition;
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

  private final Configuration config;
  private final Properties kafka;
  private final String prefix;

  public KafkaSchedulerJobIo(Configuration config) {
    this.config = config;
    this.kafka = JobConfig.kafkaProperties(config);
    this.prefix = config.get(SurgeOptions.TOPIC_PREFIX);
  }

  public String topic(String name) {
    return prefix + name;
  }

  @Override
  public DataStream<RawRecord> requests(StreamExecutionEnvironment env) {
    return source(env, "requests", "read_committed");
  }

  @Override
  public DataStream<RawRecord> completions(StreamExecutionEnvironment env) {
    return source(env, "completions", "read_uncommitted");
  }

  @Override
  public DataStream<RawRecord> policies(StreamExecutionEnvironment env) {
    return source(env, "policies", "read_committed");
  }

  private DataStream<RawRecord> source(
      StreamExecutionEnvironment env, String name, String isolation) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.setProperty("isolation.level", isolation);
    KafkaSource<RawRecord> source =
        KafkaSource.<RawRecord>builder()
            .setBootstrapServers(config.get(SurgeOptions.BOOTSTRAP_SERVERS))
            .setTopics(topic(name))
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
    results
        .sinkTo(
            sink(
                "results",
                InferenceResult.class,
                InferenceResult::getRequestId,
                DeliveryGuarantee.EXACTLY_ONCE))
        .uid(SchedulerUids.sink("results"))
        .name("kafka:results");
  }

  @Override
  public void completions(DataStream<Completion> completions) {
    completions
        .sinkTo(
            sink(
                "completions",
                Completion.class,
                Completion::getRequestId,
                DeliveryGuarantee.AT_LEAST_ONCE))
        .uid(SchedulerUids.sink("completions"))
        .name("kafka:completions");
  }

  @Override
  public void experience(DataStream<Transition> transitions) {
    transitions
        .sinkTo(
            sink(
                "experience",
                Transition.class,
                Transition::getRequestId,
                DeliveryGuarantee.AT_LEAST_ONCE))
        .uid(SchedulerUids.sink("experience"))
        .name("kafka:experience");
  }

  @Override
  public void deadLetters(DataStream<DeadLetter> deadLetters) {
    deadLetters
        .sinkTo(
            sink(
                "dead-letters",
                DeadLetter.class,
                d -> d.getSourceTopic() + "-" + d.getPartition() + "@" + d.getOffset(),
                DeliveryGuarantee.EXACTLY_ONCE))
        .uid(SchedulerUids.sink("dead-letters"))
        .name("kafka:dead-letters");
  }

  private <T extends SpecificRecord> KafkaSink<T> sink(
      String name,
      Class<T> type,
      SerializableFunction<T, String> key,
      DeliveryGuarantee guarantee) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.setProperty(
        "transaction.timeout.ms",
        String.valueOf(config.get(SurgeOptions.TRANSACTION_TIMEOUT).toMillis()));
    if (guarantee != DeliveryGuarantee.EXACTLY_ONCE) {
      // fast feedback: do not wait to fill batches
      props.setProperty("linger.ms", "0");
    }
    return KafkaSink.<T>builder()
        .setBootstrapServers(config.get(SurgeOptions.BOOTSTRAP_SERVERS))
        .setRecordSerializer(new AvroRecordSerializer<>(topic(name), type, key))
        .setDeliveryGuarantee(guarantee)
        .setTransactionalIdPrefix(config.get(SurgeOptions.TRANSACTIONAL_ID_PREFIX) + "-" + name)
        .setKafkaProducerConfig(props)
        .build();
  }
}
