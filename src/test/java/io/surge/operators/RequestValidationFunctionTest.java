package io.surge.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.operators.kafka.RawRecord;
import io.surge.operators.validate.DeadLetters;
import io.surge.operators.validate.RequestValidationFunction;
import io.surge.schema.DeadLetter;
import io.surge.schema.InferenceRequest;
import io.surge.schema.InferenceResult;
import io.surge.schema.Tensor;
import io.surge.schema.wire.AvroWire;
import io.surge.state.catalog.Catalog;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequestValidationFunctionTest {

  static final Catalog CATALOG =
      Catalog.parse(
          """
          services:
            - name: svc
              deadline_ms: 100
              variants:
                - {name: small, model: small, accuracy: 70, input: {name: input, datatype: FP32, shape: [4]}, output: out}
          servers:
            - {name: edge-0, url: "http://127.0.0.1:1", models: [small]}
          """);

  private final AvroWire<InferenceRequest> wire = AvroWire.of(InferenceRequest.class);
  private OneInputStreamOperatorTestHarness<RawRecord, InferenceRequest> harness;
  private long offset;

  @BeforeEach
  void open() throws Exception {
    harness =
        new OneInputStreamOperatorTestHarness<>(
            new ProcessOperator<>(new RequestValidationFunction(CATALOG, 64)));
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  static InferenceRequest.Builder valid() {
    return InferenceRequest.newBuilder()
        .setRequestId("r")
        .setService("svc")
        .setCreatedAt(Instant.ofEpochMilli(1_000))
        .setDeadlineMs(100)
        .setPayload(
            Tensor.newBuilder()
                .setName("input")
                .setDatatype("FP32")
                .setShape(List.of(1L, 4L))
                .setData(ByteBuffer.wrap(new byte[16]))
                .build());
  }

  private void send(byte[] value, byte[] header) throws Exception {
    harness.processElement(
        new StreamRecord<>(new RawRecord("requests", 2, offset++, 0, null, value, header)));
  }

  private void send(UnaryOperator<InferenceRequest.Builder> edit) throws Exception {
    send(wire.serialize(edit.apply(valid()).build()), wire.fingerprint());
  }

  private List<DeadLetter> deadLetters() {
    return harness.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void passesValidRequestsWithAndWithoutBatchDimension() throws Exception {
    send(b -> b);
    send(b -> b.setPayload(null));
    send(b -> b.setPayload(Tensor.newBuilder(valid().getPayload()).setShape(List.of(4L)).build()));
    assertThat(harness.extractOutputValues()).hasSize(3);
    assertThat(harness.getSideOutput(DeadLetters.TAG)).isNull();
  }

  @Test
  void everyKindOfBadInputBecomesExactlyOneDeadLetter() throws Exception {
    byte[] good = wire.serialize(valid().build());
    send(Arrays.copyOf(good, good.length - 5), wire.fingerprint()); // truncated Avro
    send(good, AvroWire.of(InferenceResult.class).fingerprint()); // other schema
    send(b -> b.setDeadlineMs(null));
    send(b -> b.setDeadlineMs(-5));
    send(b -> b.setService("ghost"));
    send(
        b ->
            b.setPayload(
                Tensor.newBuilder(valid().getPayload())
                    .setShape(List.of(1L, 32L))
                    .setData(ByteBuffer.wrap(new byte[128]))
                    .build())); // oversized
    send(
        b ->
            b.setPayload(
                Tensor.newBuilder(valid().getPayload()).setShape(List.of(1L, 3L)).build()));
    send(b -> b.setPayload(Tensor.newBuilder(valid().getPayload()).setDatatype("INT8").build()));
    send(b -> b.setMinAccuracy(120.0));

    assertThat(harness.extractOutputValues()).isEmpty();
    List<DeadLetter> dead = deadLetters();
    assertThat(dead)
        .extracting(DeadLetter::getReason)
        .satisfiesExactly(
            r -> assertThat(r).contains("truncated"),
            r -> assertThat(r).contains("another schema"),
            r -> assertThat(r).contains("missing deadline_ms"),
            r -> assertThat(r).contains("deadline_ms must be positive"),
            r -> assertThat(r).contains("unknown service 'ghost'"),
            r -> assertThat(r).contains("exceeds the limit"),
            r -> assertThat(r).contains("expected [4]"),
            r -> assertThat(r).contains("datatype INT8"),
            r -> assertThat(r).contains("min_accuracy"));
    assertThat(dead)
        .extracting(DeadLetter::getOffset)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(dead).allSatisfy(d -> assertThat(d.getSourceTopic()).isEqualTo("requests"));
    assertThat(dead).allSatisfy(d -> assertThat(d.getPartition()).isEqualTo(2));
  }
}
