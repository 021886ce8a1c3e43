package io.surge.operators.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.operators.TestPolicies;
import io.surge.operators.kafka.RawRecord;
import io.surge.operators.validate.DeadLetters;
import io.surge.schema.DeadLetter;
import io.surge.schema.PolicyUpdate;
import io.surge.schema.wire.AvroWire;
import io.surge.state.EstimatorSettings;
import io.surge.state.ObservationSpec;
import io.surge.state.ServiceTopology;
import io.surge.state.TestServices;
import io.surge.train.export.PolicyModelWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The policy validator in Flink's keyed harness: one output or one dead letter per update. */
class PolicyValidationFunctionTest {

  private static final int HISTORY = EstimatorSettings.defaults().historyLength();
  private static final long MAX_BYTES = 64 * 1024;

  private final ServiceTopology topology = TestServices.topology();
  private final List<String> variants = topology.actionNames();
  private final ObservationSpec spec =
      ObservationSpec.of(topology, EstimatorSettings.defaults().withHistoryLength(HISTORY));
  private final AvroWire<PolicyUpdate> wire = AvroWire.of(PolicyUpdate.class);
  private KeyedOneInputStreamOperatorTestHarness<String, RawRecord, PolicyUpdate> harness;
  private long offset;

  @BeforeEach
  void open() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new PolicyValidationFunction(TestServices.catalog(), HISTORY, MAX_BYTES),
            r -> PolicyValidationFunction.KEY,
            Types.STRING);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  @Test
  void aValidUpdatePassesUnchanged() throws Exception {
    PolicyUpdate update = TestPolicies.update(model(5), 5).build();
    send(update);

    assertThat(harness.extractOutputValues()).containsExactly(update);
    assertThat(deadLetters()).isEmpty();
  }

  @Test
  void everyKindOfBadUpdateBecomesExactlyOneDeadLetter() throws Exception {
    send(TestPolicies.update(model(5), 5).build()); // accepted: the current version is 5

    byte[] good = wire.serialize(TestPolicies.update(model(6), 6).build());
    sendRaw(Arrays.copyOf(good, good.length / 2));
    send(TestPolicies.update("not onnx".getBytes(StandardCharsets.UTF_8), 6).build());
    send(TestPolicies.update(model(6), 6).setSha256(TestPolicies.sha256(model(7))).build());
    send(TestPolicies.update(writer(otherSpec(), variants, 6).toBytes(), 6).build());
    send(
        TestPolicies.update(writer(spec, List.of("tiny", "medium", "large"), 6).toBytes(), 6)
            .build());
    send(TestPolicies.update(tooLarge(6), 6).build());
    send(TestPolicies.update(model(5), 5).build());
    send(TestPolicies.update(model(6), 6).setService("ghost").build());
    send(TestPolicies.update(model(9), 6).build());

    assertThat(harness.extractOutputValues())
        .extracting(PolicyUpdate::getVersion)
        .containsExactly(5L);
    List<DeadLetter> dead = deadLetters();
    assertThat(dead)
        .extracting(DeadLetter::getReason)
        .satisfiesExactly(
            r -> assertThat(r).contains("not a valid PolicyUpdate"),
            r -> assertThat(r).contains("UNPARSEABLE: not an ONNX model"),
            r -> assertThat(r).contains("sha256 of the model does not match"),
            r -> assertThat(r).contains("SPEC_MISMATCH").contains(spec.hash()),
            r -> assertThat(r).contains("ACTION_MISMATCH").contains("tiny"),
            r -> assertThat(r).contains("exceeds the limit of " + MAX_BYTES),
            r -> assertThat(r).contains("version 5 is not newer than the current 5"),
            r -> assertThat(r).contains("unknown service 'ghost'"),
            r -> assertThat(r).contains("update version 6 but the model's surge.version is 9"));
    assertThat(dead).allSatisfy(d -> assertThat(d.getReason()).startsWith("policy rejected: "));
    assertThat(dead)
        .extracting(DeadLetter::getOffset)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(dead).allSatisfy(d -> assertThat(d.getSourceTopic()).isEqualTo("policies"));
  }

  @Test
  void rejectionsDoNotRaiseTheAcceptedVersion() throws Exception {
    send(TestPolicies.update(model(5), 5).build());
    send(TestPolicies.update(model(8), 8).setSha256(TestPolicies.sha256(model(7))).build());
    send(TestPolicies.update(model(6), 6).build());

    assertThat(harness.extractOutputValues())
        .extracting(PolicyUpdate::getVersion)
        .containsExactly(5L, 6L);
    assertThat(deadLetters()).hasSize(1);
  }

  @Test
  void versionsAreTrackedPerTarget() throws Exception {
    send(TestPolicies.update(model(5), 5).build());
    send(TestPolicies.update(model(3), 3).setService("svc").build());

    assertThat(harness.extractOutputValues())
        .extracting(PolicyUpdate::getVersion)
        .containsExactly(5L, 3L);
    assertThat(deadLetters()).isEmpty();
  }

  // ---------------------------------------------------------------- helpers

  private byte[] model(long version) {
    return writer(spec, variants, version).toBytes();
  }

  private static PolicyModelWriter writer(ObservationSpec s, List<String> names, long version) {
    return TestPolicies.favouring(s, names, 0, version);
  }

  /** The spec of a job with a different history length. */
  private ObservationSpec otherSpec() {
    return ObservationSpec.of(
        topology, EstimatorSettings.defaults().withHistoryLength(HISTORY + 1));
  }

  /** A valid model over {@link #MAX_BYTES}: a wide hidden layer. */
  private byte[] tooLarge(long version) {
    int width = (int) (MAX_BYTES / Float.BYTES / spec.dimension()) + 1;
    byte[] bytes =
        PolicyModelWriter.forSpec(spec, variants)
            .hidden(new float[spec.dimension() * width], new float[width])
            .output(new float[width * spec.actionCount()], new float[spec.actionCount()])
            .version(version)
            .toBytes();
    assertThat(bytes.length).isGreaterThan((int) MAX_BYTES);
    return bytes;
  }

  private void send(PolicyUpdate update) throws Exception {
    sendRaw(wire.serialize(update));
  }

  private void sendRaw(byte[] value) throws Exception {
    harness.processElement(
        new RawRecord("policies", 0, offset++, 0, null, value, wire.fingerprint()), 0);
  }

  private List<DeadLetter> deadLetters() {
    Queue<StreamRecord<DeadLetter>> records = harness.getSideOutput(DeadLetters.TAG);
    return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
  }
}
