package io.surge.cli.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surge.schema.InferenceRequest;
import io.surge.schema.wire.AvroWire;
import io.surge.sim.workload.ArrivalProcess;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.catalog.Catalog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The load generator against Kafka's in-memory producer (real delivery is in the ITCase). */
class LoadGeneratorTest {

  private static final Catalog CATALOG =
      Catalog.parse(
          """
          services:
            - name: a
              deadline_ms: 100
              variants: [{name: v, accuracy: 1, input: {name: x, datatype: FP32, shape: [4]}, output: y}]
            - name: b
              deadline_ms: 200
              variants: [{name: w, accuracy: 1, input: {name: x, datatype: INT64, shape: [4]}, output: y}]
          servers: []
          """);
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final List<String> progress = new ArrayList<>();

  @Test
  void spreadsExactlyTheInvalidFractionOverTheRunInTurns() {
    LoadCounts counts = run(options().withMaxRequests(100).withInvalidFraction(0.1));

    assertThat(counts.valid()).isEqualTo(90);
    assertThat(counts.invalid()).isEqualTo(10);
    assertThat(counts.invalidByKind())
        .containsEntry(InvalidKind.TRUNCATED_BYTES, 3L)
        .containsEntry(InvalidKind.WRONG_SCHEMA_HEADER, 3L)
        .containsEntry(InvalidKind.NEGATIVE_DEADLINE, 2L)
        .containsEntry(InvalidKind.UNKNOWN_SERVICE, 2L);
    assertThat(producer.history()).hasSize(100);
    assertThat(producer.history().get(9).headers().lastHeader("surge.load.invalid")).isNotNull();
    assertThat(producer.history().get(8).headers().lastHeader("surge.load.invalid")).isNull();
  }

  @Test
  void validRequestsCarryServiceKeyHeaderIdsAndDeadlines() throws Exception {
    run(options().withMaxRequests(20).withRunId("r7").withDeadlineMs(42));

    AvroWire<InferenceRequest> wire = AvroWire.of(InferenceRequest.class);
    for (int i = 0; i < 20; i++) {
      ProducerRecord<byte[], byte[]> record = producer.history().get(i);
      InferenceRequest request =
          wire.deserialize(
              record.value(), record.headers().lastHeader(AvroWire.SCHEMA_HEADER).value());
      assertThat(request.getRequestId()).isEqualTo("r7-" + i);
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(request.getService());
      assertThat(request.getDeadlineMs()).isEqualTo(42);
      assertThat(request.getCreatedAt()).isEqualTo(CLOCK.instant());
      assertThat(request.getPayload()).isNull();
      assertThat(record.topic()).isEqualTo("requests");
    }
  }

  @Test
  void stopsAtTheDurationOfScheduleTime() {
    // 20 arrivals 10 ms apart; a 105 ms run sends the ones at 0..100 ms
    LoadCounts counts = run(options().withDuration(Duration.ofMillis(105)), new Evenly(0.01, 20));
    assertThat(counts.sent()).isEqualTo(11);
  }

  @Test
  void stopsWhenAFiniteArrivalProcessEnds() {
    LoadCounts counts = run(options(), new Evenly(0.001, 5));
    assertThat(counts.sent()).isEqualTo(5);
    assertThat(progress).last().asString().startsWith("load done: sent 5 (valid 5, invalid 0)");
  }

  @Test
  void countsSendsTheBrokerRefused() {
    // the broker's answer comes at flush: every pending send fails
    MockProducer<byte[], byte[]> refusing =
        new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer()) {
          @Override
          public synchronized void flush() {
            while (errorNext(new IllegalStateException("broker says no"))) {
              // fail the next pending send
            }
          }
        };
    LoadCounts counts =
        new LoadGenerator(refusing, CATALOG, new Evenly(0, 3), options(), CLOCK).run();

    assertThat(counts.failed()).isEqualTo(3);
    assertThat(progress)
        .anyMatch(line -> line.contains("send failed") && line.contains("broker says no"));
  }

  @Test
  void countsSendsThatFailAtOnce() {
    producer.sendException = new org.apache.kafka.common.errors.RecordTooLargeException("too big");
    LoadCounts counts = run(options(), new Evenly(0, 4));

    assertThat(counts.sent()).isEqualTo(4);
    assertThat(counts.failed()).isEqualTo(4);
  }

  @Test
  void payloadsNeedFp32InputsAndKnownServices() {
    assertThatThrownBy(() -> run(options().withPayload(true).withMaxRequests(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("service 'b': payloads are generated for FP32 inputs only");
    assertThatThrownBy(() -> run(options().withServices(List.of("zzz")).withMaxRequests(1)))
        .hasMessageContaining("service 'zzz' is not in the catalog");
  }

  @Test
  void producerPropertiesAreIdempotentAndPassExtrasThrough() {
    Properties extra = new Properties();
    extra.put("security.protocol", "SASL_SSL");
    extra.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    Properties p = LoadGenerator.producerProperties("host:9092", extra);
    assertThat(p)
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "20")
        .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "host:9092");
  }

  private LoadOptions options() {
    return LoadOptions.to("requests").withProgress(Duration.ofMinutes(1), progress::add);
  }

  private LoadCounts run(LoadOptions options) {
    return run(options, WorkloadSpec.parse("poisson:rate=100000").newProcess(1));
  }

  private LoadCounts run(LoadOptions options, ArrivalProcess arrivals) {
    return new LoadGenerator(producer, CATALOG, arrivals, options, CLOCK).run();
  }

  /** {@code n} arrivals {@code gap} seconds apart, then the end. */
  private static final class Evenly implements ArrivalProcess {
    private final double gap;
    private final int n;
    private int i;

    Evenly(double gap, int n) {
      this.gap = gap;
      this.n = n;
    }

    @Override
    public double nextArrival() {
      return i < n ? gap * i++ : Double.POSITIVE_INFINITY;
    }

    @Override
    public int hiddenState() {
      return 0;
    }

    @Override
    public double hiddenRate() {
      return 1 / gap;
    }

    @Override
    public double meanRate() {
      return 1 / gap;
    }
  }
}
