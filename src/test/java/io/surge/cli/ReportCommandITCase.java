package io.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.cli.kafka.EmbeddedKafka;
import io.surge.schema.InferenceResult;
import io.surge.schema.wire.AvroWire;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code surge report} on a results topic of a real broker: one row per policy version with the
 * figures of its records, the report and its plots written, --from/--to respected, and an unknown
 * topic as one line.
 */
class ReportCommandITCase {

  private static final long T0 = Instant.parse("2026-11-30T12:00:00Z").toEpochMilli();

  @Test
  void reportsEveryPolicyVersionOfAResultsTopic(@TempDir Path dir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      try (Admin admin = Admin.create(kafka.adminProperties())) {
        admin.createTopics(List.of(new NewTopic("r.results", 2, (short) 1))).all().get();
      }
      List<InferenceResult> results = new ArrayList<>();
      // policy 0 for the first 10 s: all OK on the small variant (accuracy 70)
      for (int i = 0; i < 100; i++) {
        results.add(result("a-" + i, 0, "small", 70.0, "OK", T0 + i * 100L));
      }
      // policy 3 for the next 10 s: half OK on the large variant (80), a quarter late, a quarter
      // shed
      for (int i = 0; i < 100; i++) {
        String status = i % 2 == 0 ? "OK" : i % 4 == 1 ? "LATE" : "SHED";
        results.add(
            result(
                "b-" + i,
                3,
                status.equals("SHED") ? null : "large",
                80.0,
                status,
                T0 + 10_000 + i * 100L));
      }
      produce(kafka.bootstrapServers(), results);

      CliRun all = new CliRun();
      assertThat(
              all.run(
                  "report",
                  "--bootstrap",
                  kafka.bootstrapServers(),
                  "--topic-prefix",
                  "r.",
                  "--out",
                  dir.resolve("all").toString()))
          .as(all.err.toString())
          .isZero();
      String table = all.out.toString();
      System.out.println(table);
      assertThat(table).contains("v0 (fallback heuristic)", "v3", "200 reported");
      // v0: every request OK at 70; v3: half OK at 80 -> 40, a quarter shed, a quarter late
      assertThat(line(table, "v0")).contains("100", "70.00", "100.0");
      assertThat(line(table, "v3")).contains("100", "40.00", "50.0", "25.0");
      String report = Files.readString(dir.resolve("all/report.md"));
      assertThat(report).contains("# Surge report", "| v3 |", "accuracy-slo.png");
      for (String plot :
          List.of(
              "accuracy-slo.png", "variant-mix.png", "timeline.png", "variant-mix-timeline.png")) {
        assertThat(dir.resolve("all").resolve(plot)).isNotEmptyFile();
      }

      CliRun range = new CliRun();
      assertThat(
              range.run(
                  "report",
                  "--bootstrap",
                  kafka.bootstrapServers(),
                  "--topic-prefix",
                  "r.",
                  "--from",
                  Instant.ofEpochMilli(T0 + 10_000).toString(),
                  "--to",
                  Instant.ofEpochMilli(T0 + 15_000).toString(),
                  "--out",
                  dir.resolve("range").toString()))
          .as(range.err.toString())
          .isZero();
      assertThat(range.out.toString()).contains("50 reported").doesNotContain("v0");

      CliRun unknown = new CliRun();
      assertThat(
              unknown.run(
                  "report",
                  "--bootstrap",
                  kafka.bootstrapServers(),
                  "--topic-prefix",
                  "nowhere.",
                  "--out",
                  dir.resolve("none").toString()))
          .isEqualTo(1);
      assertThat(unknown.err.toString().strip())
          .isEqualTo(
              "surge report: error: no topic 'nowhere.results' on " + kafka.bootstrapServers());
    }
  }

  private static String line(String table, String policy) {
    return table.lines().filter(l -> l.startsWith(policy)).findFirst().orElseThrow();
  }

  private static InferenceResult result(
      String id, long version, String variant, double accuracy, String status, long created) {
    boolean served = variant != null;
    return InferenceResult.newBuilder()
        .setRequestId(id)
        .setService("image-classification")
        .setVariant(variant)
        .setServer(served ? "edge-0" : null)
        .setPolicyVersion(version)
        .setStatus(status)
        .setCreatedAt(Instant.ofEpochMilli(created))
        .setDecidedAt(Instant.ofEpochMilli(created + 2))
        .setCompletedAt(Instant.ofEpochMilli(created + 50))
        .setLatencyMs(50.0)
        .setAccuracy(served ? accuracy : 0.0)
        .setReward(status.equals("OK") ? accuracy : 0.0)
        .build();
  }

  private static void produce(String bootstrap, List<InferenceResult> results) throws Exception {
    AvroWire<InferenceResult> wire = AvroWire.of(InferenceResult.class);
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (InferenceResult r : results) {
        ProducerRecord<byte[], byte[]> record =
            new ProducerRecord<>(
                "r.results", r.getRequestId().getBytes(StandardCharsets.UTF_8), wire.serialize(r));
        record.headers().add(new RecordHeader(AvroWire.SCHEMA_HEADER, wire.fingerprint()));
        producer.send(record).get();
      }
    }
  }
}
