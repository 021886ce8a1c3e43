package io.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.cli.kafka.EmbeddedKafka;
import io.surge.schema.InferenceRequest;
import io.surge.schema.wire.AvroWire;
import io.surge.serving.ladder.LadderOptions;
import io.surge.serving.ladder.ModelLadder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code surge topics create} and {@code surge load} against a real broker. */
class KafkaCommandsITCase {

  @Test
  void createsTopicsThenProducesAPacedWorkload(@TempDir Path dir) throws Exception {
    Path catalog =
        ModelLadder.generate(dir, LadderOptions.defaults().withScale(0.05)).catalogFile();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String bootstrap = kafka.bootstrapServers();
      assertThat(
              SurgeCli.commandLine()
                  .execute("topics", "create", "--bootstrap", bootstrap, "--prefix", "cli."))
          .isZero();
      try (Admin admin = Admin.create(kafka.adminProperties())) {
        Set<String> names = admin.listTopics().names().get();
        assertThat(names)
            .contains("cli.requests", "cli.results", "cli.policies", "cli.dead-letters");
      }
      // a second run finds them and still succeeds
      assertThat(
              SurgeCli.commandLine()
                  .execute("topics", "create", "--bootstrap", bootstrap, "--prefix", "cli."))
          .isZero();

      int exit =
          SurgeCli.commandLine()
              .execute(
                  "load",
                  "--bootstrap",
                  bootstrap,
                  "--topic-prefix",
                  "cli.",
                  "--catalog",
                  catalog.toString(),
                  "--workload",
                  "poisson:rate=200",
                  "--max-requests",
                  "50",
                  "--payload");
      assertThat(exit).isZero();
      assertThat(readRequests(bootstrap, "cli.requests", 50)).hasSize(50);
    }
  }

  @Test
  void badOptionsFailWithAMessage() {
    assertThat(SurgeCli.commandLine().execute("load", "--workload", "poisson:rate=1")).isNotZero();
    assertThat(SurgeCli.commandLine().execute("topics", "create")).isNotZero();
  }

  private static List<InferenceRequest> readRequests(String bootstrap, String topic, int expected)
      throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("group.id", "check");
    props.put("auto.offset.reset", "earliest");
    AvroWire<InferenceRequest> wire = AvroWire.of(InferenceRequest.class);
    List<InferenceRequest> out = new java.util.ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(
              wire.deserialize(r.value(), r.headers().lastHeader(AvroWire.SCHEMA_HEADER).value()));
        }
      }
    }
    return out;
  }
}
