package io.surge.cli.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surge.cli.load.InvalidKind;
import io.surge.cli.load.LoadCounts;
import io.surge.cli.load.LoadGenerator;
import io.surge.cli.load.LoadOptions;
import io.surge.jobs.kafka.Topics;
import io.surge.schema.InferenceRequest;
import io.surge.schema.wire.AvroWire;
import io.surge.schema.wire.AvroWire.InvalidRecordException;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.catalog.Catalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded broker with topics, the load generator and transactions, end to end. */
class EmbeddedKafkaITCase {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
  private static final String CATALOG =
      """
      services:
        - name: image-classification
          deadline_ms: 100
          variants:
            - {name: small, accuracy: 69.76, input: {name: input, datatype: FP32, shape: [2, 4]}, output: logits}
            - {name: large, accuracy: 78.31, input: {name: input, datatype: FP32, shape: [2, 4]}, output: logits}
        - name: detection
          deadline_ms: 250
          variants:
            - {name: tiny, accuracy: 40.0, input: {name: images, datatype: FP32, shape: [3]}, output: boxes}
      servers: []
      """;

  private static EmbeddedKafka kafka;
  private static Admin admin;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start();
    admin = Admin.create(kafka.adminProperties());
  }

  @AfterAll
  static void stopBroker() {
    if (admin != null) {
      admin.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void createsTopicsWithTheirSettingsAndAgainWithoutError() throws Exception {
    Topics topics = Topics.withPrefix("it-topics.");

    Topics.Created first = topics.createAll(admin);
    Topics.Created second = topics.createAll(admin);

    assertThat(first.created())
        .containsExactly(
            "it-topics.requests",
            "it-topics.completions",
            "it-topics.policies",
            "it-topics.results",
            "it-topics.experience",
            "it-topics.dead-letters");
    assertThat(second.created()).isEmpty();
    assertThat(second.existing()).containsExactlyInAnyOrderElementsOf(first.created());
    Map<String, TopicDescription> described =
        admin.describeTopics(List.of(topics.policies(), topics.requests())).allTopicNames().get();
    assertThat(described.get(topics.policies()).partitions()).hasSize(1);
    assertThat(described.get(topics.requests()).partitions()).hasSize(Topics.DEFAULT_PARTITIONS);
    assertThat(topicConfig(topics.policies()).get("cleanup.policy").value()).isEqualTo("compact");
    assertThat(topicConfig(topics.completions()).get("retention.ms").value()).isEqualTo("3600000");
  }

  @Test
  void loadGeneratorSendsValidAndInvalidRequestsThatReadBackAsSuch() throws Exception {
    Topics topics = Topics.withPrefix("it-load.");
    topics.createAll(admin);
    Catalog catalog = Catalog.parse(CATALOG);
    List<String> progress = new ArrayList<>();
    LoadOptions options =
        LoadOptions.to(topics.requests())
            .withMaxRequests(120)
            .withInvalidFraction(0.25)
            .withPayload(true)
            .withRunId("it-run")
            .withProgress(
                Duration.ofSeconds(1),
                line -> {
                  System.out.println(line);
                  progress.add(line);
                });

    LoadCounts counts =
        LoadGenerator.run(
            kafka.bootstrapServers(),
            new Properties(),
            catalog,
            WorkloadSpec.parse("poisson:rate=2000").newProcess(1),
            options);

    assertThat(counts.valid()).isEqualTo(90);
    assertThat(counts.invalid()).isEqualTo(30);
    assertThat(counts.failed()).as("progress: %s", progress).isZero();
    assertThat(counts.invalidByKind().values()).containsOnly(7L, 8L).hasSize(4);
    assertThat(progress).last().asString().startsWith("load done: sent 120 (valid 90, invalid 30)");

    List<ConsumerRecord<byte[], byte[]>> records =
        readAll(topics.requests(), 120, "read_uncommitted");
    AvroWire<InferenceRequest> wire = AvroWire.of(InferenceRequest.class);
    Set<String> ids = new HashSet<>();
    int valid = 0;
    for (ConsumerRecord<byte[], byte[]> record : records) {
      Header kind = record.headers().lastHeader("surge.load.invalid");
      byte[] schemaHeader = record.headers().lastHeader(AvroWire.SCHEMA_HEADER).value();
      if (kind == null) {
        InferenceRequest request = wire.deserialize(record.value(), schemaHeader);
        assertValidRequest(request, record, catalog, wire);
        assertThat(ids.add(request.getRequestId())).as("unique id").isTrue();
        valid++;
      } else {
        assertRejected(
            InvalidKind.valueOf(new String(kind.value(), StandardCharsets.UTF_8)),
            record,
            catalog,
            wire);
      }
    }
    assertThat(valid).isEqualTo(90);
  }

  @Test
  void committedTransactionsAreVisibleToReadCommittedAndAbortedOnesAreNot() throws Exception {
    String topic = "it-txn";
    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    Topics.awaitServed(admin, List.of(topic));
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-txn-producer");
    props.put(
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(Duration.ofHours(1).toMillis()));
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      sendInTransaction(producer, topic, "committed-a", 10, true);
      sendInTransaction(producer, topic, "aborted", 5, false);
      sendInTransaction(producer, topic, "committed-b", 3, true);
    }

    List<ConsumerRecord<byte[], byte[]>> committed = readAll(topic, 13, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> everything = readAll(topic, 18, "read_uncommitted");

    assertThat(committed)
        .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
        .allMatch(key -> key.startsWith("committed-"));
    assertThat(everything)
        .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
        .filteredOn(key -> key.startsWith("aborted"))
        .hasSize(5);
  }

  @Test
  void closeStopsTheBrokerAndDeletesItsLogDirectory() {
    EmbeddedKafka second = EmbeddedKafka.start();
    Path logDir = second.logDir();
    assertThat(second.bootstrapServers()).isNotEqualTo(kafka.bootstrapServers());
    assertThat(Files.isDirectory(logDir)).isTrue();

    second.close();
    second.close();

    assertThat(Files.exists(logDir)).isFalse();
  }

  private static void assertValidRequest(
      InferenceRequest request,
      ConsumerRecord<byte[], byte[]> record,
      Catalog catalog,
      AvroWire<InferenceRequest> wire) {
    Catalog.Service service = catalog.service(request.getService());
    assertThat(service).isNotNull();
    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(request.getService());
    assertThat(wire.matches(record.headers().lastHeader(AvroWire.SCHEMA_HEADER).value())).isTrue();
    assertThat(request.getRequestId()).startsWith("it-run-");
    assertThat(request.getDeadlineMs()).isEqualTo(service.deadlineMs());
    List<Long> shape = new ArrayList<>(List.of(1L));
    shape.addAll(service.variants().get(0).input().shape());
    assertThat(request.getPayload().getShape()).isEqualTo(shape);
    assertThat(request.getPayload().getData().remaining())
        .isEqualTo(4 * (int) service.variants().get(0).input().elementCount());
  }

  private static void assertRejected(
      InvalidKind kind,
      ConsumerRecord<byte[], byte[]> record,
      Catalog catalog,
      AvroWire<InferenceRequest> wire)
      throws InvalidRecordException {
    byte[] schemaHeader = record.headers().lastHeader(AvroWire.SCHEMA_HEADER).value();
    switch (kind) {
      case TRUNCATED_BYTES ->
          assertThatThrownBy(() -> wire.deserialize(record.value(), schemaHeader))
              .isInstanceOf(InvalidRecordException.class)
              .hasMessageContaining("not a valid InferenceRequest (truncated or other schema)");
      case WRONG_SCHEMA_HEADER ->
          assertThatThrownBy(() -> wire.deserialize(record.value(), schemaHeader))
              .isInstanceOf(InvalidRecordException.class)
              .hasMessageContaining("record written with another schema");
      case NEGATIVE_DEADLINE ->
          assertThat(wire.deserialize(record.value(), schemaHeader).getDeadlineMs()).isNegative();
      case UNKNOWN_SERVICE ->
          assertThat(catalog.service(wire.deserialize(record.value(), schemaHeader).getService()))
              .isNull();
    }
  }

  private static void sendInTransaction(
      KafkaProducer<String, String> producer, String topic, String prefix, int n, boolean commit)
      throws Exception {
    producer.beginTransaction();
    for (int i = 0; i < n; i++) {
      producer.send(new ProducerRecord<>(topic, prefix + "-" + i, "v" + i)).get();
    }
    if (commit) {
      producer.commitTransaction();
    } else {
      producer.abortTransaction();
    }
  }

  /**
   * Reads a topic from the start until its end offsets (for read_committed: the last stable offset)
   * are reached, then checks the count.
   */
  private static List<ConsumerRecord<byte[], byte[]>> readAll(
      String topic, int expected, String isolation) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (!reached(consumer, end)) {
        assertThat(System.nanoTime())
            .as("read %s within %s", topic, READ_TIMEOUT)
            .isLessThan(deadline);
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    assertThat(out).hasSize(expected);
    return out;
  }

  private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  private static Config topicConfig(String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get().get(resource);
  }
}
