package io.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.cli.kafka.EmbeddedKafka;
import io.surge.cli.load.LoadGenerator;
import io.surge.cli.publish.PolicyTopic;
import io.surge.cli.publish.PublishedPolicy;
import io.surge.schema.Completion;
import io.surge.schema.Transition;
import io.surge.schema.wire.AvroWire;
import io.surge.sim.engine.Calibration;
import io.surge.state.catalog.Catalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code surge learn} on a real KRaft broker: the job's records (every transition sent twice, as
 * the at-least-once topic may; completions with edge-1 three times slower than the profile) are
 * read, deduplicated, turned into a live calibration, and one cycle trains and judges a candidate
 * from the shipped policy, which goes onto the policies topic exactly when the guard says so. A
 * policy then published by hand is what a second run takes as the running one, and that run, of the
 * same group, starts from the committed offsets: nothing is read again.
 */
class LearnCommandITCase {

  private static final Catalog CATALOG = Calibration.defaultCatalog();
  private static final String SERVICE = CATALOG.services().get(0).name();
  private static final Calibration BASE = Calibration.defaults();
  private static final int SECONDS = 20;
  private static final String SHIPPED = Path.of("deploy", "policies", "default.onnx").toString();

  @Test
  void learnsFromTheTopicsAndPublishesOnlyWhatTheGuardPasses(@TempDir Path dir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String bootstrap = kafka.bootstrapServers();
      assertThat(
              SurgeCli.commandLine()
                  .execute("topics", "create", "--bootstrap", bootstrap, "--prefix", "learn."))
          .isZero();
      Path yaml = jobYaml(dir);
      int decisions;
      try (Producer<byte[], byte[]> producer =
          LoadGenerator.createProducer(bootstrap, new Properties())) {
        decisions = produceExperience(producer);
        produceCompletions(producer);
        producer.flush();
      }

      CliRun first = new CliRun();
      int code = first.run(learn(bootstrap, yaml, dir));

      String log = first.out.toString();
      System.out.print(log); // the learner's own lines, in the test report
      assertThat(code).as(log + first.err).isZero();
      Matcher cycle =
          Pattern.compile("cycle 1 " + SERVICE + " (PUBLISHED|REJECTED): .*").matcher(log);
      assertThat(cycle.find()).as(log).isTrue();
      assertThat(log)
          .contains("(" + decisions + " duplicates dropped)")
          .contains("read " + 2 * decisions + " transitions")
          .contains("edge-0 x1.00")
          .contains("candidates trained 1");
      Matcher factor = Pattern.compile("edge-1 x(\\d+\\.\\d+)").matcher(log);
      assertThat(factor.find()).isTrue();
      assertThat(Double.parseDouble(factor.group(1))).isBetween(2.0, 4.5);
      List<PublishedPolicy> topic =
          PolicyTopic.read(bootstrap, new Properties(), "learn.policies", "learn.dead-letters");
      if (cycle.group(1).equals("PUBLISHED")) {
        assertThat(log).contains("published 1, rejected 0");
        assertThat(topic).hasSize(1);
        assertThat(topic.get(0).update().getTrainedOn()).contains("online cycle 1");
      } else {
        assertThat(log)
            .contains("published 0, rejected 1")
            .containsPattern("not better|may be worse");
        assertThat(topic).isEmpty();
      }
      assertThat(committedIsEnd(kafka, "learn.experience")).isTrue();

      // someone publishes by hand: the learner takes it as the running policy from then on
      CliRun publish = new CliRun();
      assertThat(
              publish.run(
                  "publish", SHIPPED, "--bootstrap", bootstrap, "--config", yaml.toString()))
          .as(publish.err.toString())
          .isZero();
      long byHand = topic.size() + 1;

      CliRun again = new CliRun();
      assertThat(again.run(learn(bootstrap, yaml, dir))).isZero();
      assertThat(again.out.toString())
          .contains("following version " + byHand + " (default.onnx)")
          .contains("cycle 1 " + SERVICE + " SKIPPED: 0 decisions in the window")
          .contains("read 0 transitions");
      assertThat(dir.resolve("learn").resolve("running-v" + byHand + ".onnx")).exists();
    }
  }

  private static String[] learn(String bootstrap, Path yaml, Path dir) {
    return new String[] {
      "learn",
      "--bootstrap",
      bootstrap,
      "--config",
      yaml.toString(),
      "--running",
      SHIPPED,
      "--every",
      "3",
      "--cycles",
      "1",
      "--min-decisions",
      "500",
      "--critic-steps",
      "4096",
      "--steps",
      "4096",
      "--guard-seeds",
      "2",
      "--guard-seconds",
      "3",
      "--out",
      dir.resolve("learn").toString()
    };
  }

  /** {@value #SECONDS} s of bursty decisions (calm 150/s, bursts 450/s), each sent twice. */
  private static int produceExperience(Producer<byte[], byte[]> producer) {
    AvroWire<Transition> wire = AvroWire.of(Transition.class);
    SplittableRandom random = new SplittableRandom(3);
    long start = System.currentTimeMillis() - SECONDS * 1000L;
    int id = 0;
    for (int second = 0; second < SECONDS; second++) {
      int rate = second % 5 < 3 ? 150 : 450;
      for (int i = 0; i < rate; i++) {
        Instant at = Instant.ofEpochMilli(start + second * 1000L + random.nextInt(1000));
        Transition t =
            Transition.newBuilder()
                .setRequestId("r" + id++)
                .setService(SERVICE)
                .setPolicyVersion(1)
                .setSpecHash("h")
                .setObservation(List.of())
                .setMask(List.of())
                .setAction(2)
                .setProbability(0.9)
                .setReward(76.13)
                .setDecidedAt(at)
                .setCompletedAt(at.plusMillis(20))
                .build();
        for (int copy = 0; copy < 2; copy++) {
          send(producer, "learn.experience", t.getRequestId(), wire.serialize(t), wire);
        }
      }
    }
    return id;
  }

  private static void produceCompletions(Producer<byte[], byte[]> producer) {
    AvroWire<Completion> wire = AvroWire.of(Completion.class);
    SplittableRandom random = new SplittableRandom(4);
    int id = 0;
    for (String server : List.of("edge-0", "edge-1")) {
      double k = server.equals("edge-1") ? 3 : 1;
      for (Catalog.Variant v : CATALOG.service(SERVICE).variants()) {
        double execution = BASE.profile().medianMs(server, v.model(), 1) * k;
        for (int i = 0; i < 100; i++) {
          double latency =
              BASE.creationToDecision().valueAt(random.nextDouble())
                  + BASE.protocolOverhead().valueAt(random.nextDouble())
                  + execution * (1 + 0.3 * random.nextDouble())
                  + 2 * random.nextDouble();
          Completion c =
              Completion.newBuilder()
                  .setRequestId("c" + id++)
                  .setService(SERVICE)
                  .setVariant(v.name())
                  .setServer(server)
                  .setStatus("OK")
                  .setLatencyMs(latency)
                  .setCompletedAt(Instant.now())
                  .setReward(v.accuracy())
                  .build();
          send(producer, "learn.completions", c.getRequestId(), wire.serialize(c), wire);
        }
      }
    }
  }

  private static void send(
      Producer<byte[], byte[]> producer, String topic, String key, byte[] value, AvroWire<?> wire) {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key.getBytes(), value);
    record.headers().add(new RecordHeader(AvroWire.SCHEMA_HEADER, wire.fingerprint()));
    producer.send(record);
  }

  private static boolean committedIsEnd(EmbeddedKafka kafka, String topic) throws Exception {
    try (Admin admin = Admin.create(kafka.adminProperties())) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets("surge-learn").partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetSpec> latest =
          committed.keySet().stream()
              .filter(p -> p.topic().equals(topic))
              .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get();
      return !ends.isEmpty()
          && ends.entrySet().stream()
              .allMatch(e -> committed.get(e.getKey()).offset() == e.getValue().offset());
    }
  }

  private static Path jobYaml(Path dir) throws Exception {
    Path catalog = dir.resolve("catalog.yaml");
    CATALOG.write(catalog);
    Path yaml = dir.resolve("scheduler.yaml");
    Files.writeString(yaml, "surge:\n  catalog: " + catalog + "\n  topics:\n    prefix: learn.\n");
    return yaml;
  }
}
