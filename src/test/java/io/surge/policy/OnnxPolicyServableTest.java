package io.surge.policy;

import static io.surge.policy.onnx.PolicyRejectedException.Reason.CHECKSUM_MISMATCH;
import static io.surge.policy.onnx.PolicyRejectedException.Reason.UNPARSEABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.surge.policy.onnx.OnnxPolicy;
import io.surge.policy.onnx.OnnxPolicyServable;
import io.surge.policy.onnx.PolicyFile;
import io.surge.state.ObservationSpec;
import io.surge.state.TestServices;
import io.surge.train.export.PolicyModelWriter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.ml.linalg.DenseVector;
import org.apache.flink.ml.servable.api.DataFrame;
import org.apache.flink.ml.servable.api.Row;
import org.apache.flink.ml.servable.types.BasicType;
import org.apache.flink.ml.servable.types.DataTypes;
import org.junit.jupiter.api.Test;

class OnnxPolicyServableTest {

  private final ObservationSpec spec = TestServices.builder().spec();
  private final int d = spec.dimension();
  private final int a = spec.actionCount();
  private final float[] allAllowed = {1, 1, 1, 1};
  private final Decision decision = new Decision();

  @Test
  void setModelDataSwapsTheModel() throws Exception {
    byte[] first = PolicyModels.constant(spec, 0.1f, 0.2f, 0.3f, 0.4f).version(3).toBytes();
    byte[] second = PolicyModels.constant(spec, 0.4f, 0.3f, 0.2f, 0.1f).version(4).toBytes();
    try (OnnxPolicyServable servable = argmaxServable()) {
      servable.setModelData(new ByteArrayInputStream(first));
      servable.decide(new float[d], allAllowed, 1, null, decision);
      assertThat(servable.version()).isEqualTo(3);
      assertThat(decision.action()).isEqualTo(3);
      assertThat(decision.probability()).isCloseTo(0.4, within(1e-5));

      servable.setModelData(new ByteArrayInputStream(second));

      servable.decide(new float[d], allAllowed, 1, null, decision);
      assertThat(servable.version()).isEqualTo(4);
      assertThat(servable.current().sha256()).isEqualTo(PolicyFile.sha256(second));
      assertThat(decision.action()).isZero();
      assertThat(decision.probability()).isCloseTo(0.4, within(1e-5));
    }
  }

  @Test
  void transformEqualsPerRowDecisions() throws Exception {
    // more rows than one ONNX Runtime run takes, so that the chunking is exercised too
    int rows = 2_500;
    Random random = new Random(5);
    byte[] model = randomModel(random).version(9).toBytes();
    List<float[]> observations = new ArrayList<>();
    List<float[]> masks = new ArrayList<>();
    List<Row> frameRows = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      float[] observation = new float[d];
      for (int j = 0; j < d; j++) {
        observation[j] = (float) (random.nextGaussian() * 2);
      }
      float[] mask = {random.nextInt(4) > 0 ? 1 : 0, random.nextInt(4) > 0 ? 1 : 0, 1, 1};
      observations.add(observation);
      masks.add(mask);
      frameRows.add(new Row(new ArrayList<>(List.of(vector(observation), vector(mask)))));
    }
    DataFrame frame =
        new DataFrame(
            // Flink ML's DataFrame adds columns to these lists and to each row's: mutable ones
            new ArrayList<>(
                List.of(OnnxPolicyServable.OBSERVATION_COLUMN, OnnxPolicyServable.MASK_COLUMN)),
            new ArrayList<>(
                List.of(DataTypes.VECTOR(BasicType.DOUBLE), DataTypes.VECTOR(BasicType.DOUBLE))),
            frameRows);

    try (OnnxPolicyServable servable = argmaxServable();
        OnnxPolicy perRow =
            OnnxPolicy.load(
                model,
                spec,
                PolicyModels.ACTIONS,
                OnnxPolicy.Options.defaults().withMode(OnnxPolicy.Mode.ARGMAX))) {
      servable.setModelData(new ByteArrayInputStream(model));
      List<Row> scored = servable.transform(frame).collect();
      int[] actions = servable.argmaxActions(observations, masks);

      int probabilities = frame.getIndex(OnnxPolicyServable.PROBABILITIES_COLUMN);
      int action = frame.getIndex(OnnxPolicyServable.ACTION_COLUMN);
      int distinctActions = 0;
      for (int i = 0; i < rows; i++) {
        perRow.decide(observations.get(i), masks.get(i), i, null, decision);
        float[] expected = perRow.evaluate(observations.get(i), masks.get(i));
        DenseVector p = scored.get(i).getAs(probabilities);
        for (int k = 0; k < a; k++) {
          assertThat(p.get(k)).as("row %d p[%d]", i, k).isCloseTo(expected[k], within(1e-6));
        }
        assertThat((int) scored.get(i).getAs(action)).as("row %d", i).isEqualTo(decision.action());
        assertThat(actions[i]).as("row %d", i).isEqualTo(decision.action());
        distinctActions |= 1 << decision.action();
      }
      // the comparison means something only if the model's choices vary
      assertThat(Integer.bitCount(distinctActions)).isGreaterThan(1);
    }
  }

  @Test
  void aCorruptModelIsRefusedAndTheCurrentOneKeepsServing() throws Exception {
    byte[] good = PolicyModels.constant(spec, 0.1f, 0.2f, 0.3f, 0.4f).version(3).toBytes();
    try (OnnxPolicyServable servable = argmaxServable()) {
      servable.setModelData(new ByteArrayInputStream(good));
      byte[] corrupt = "not an onnx model".getBytes(StandardCharsets.UTF_8);

      assertThatThrownBy(() -> servable.setModelData(new ByteArrayInputStream(corrupt)))
          .isInstanceOfSatisfying(
              OnnxPolicyServable.RejectedModelException.class,
              e -> assertThat(e.reason()).isEqualTo(UNPARSEABLE));

      byte[] other = PolicyModels.constant(spec, 0.4f, 0.3f, 0.2f, 0.1f).version(4).toBytes();
      servable.set(OnnxPolicyServable.EXPECTED_SHA256, PolicyFile.sha256(good));
      assertThatThrownBy(() -> servable.setModelData(new ByteArrayInputStream(other)))
          .isInstanceOfSatisfying(
              OnnxPolicyServable.RejectedModelException.class,
              e -> assertThat(e.reason()).isEqualTo(CHECKSUM_MISMATCH));

      servable.decide(new float[d], allAllowed, 1, null, decision);
      assertThat(servable.version()).isEqualTo(3);
      assertThat(servable.current().sha256()).isEqualTo(PolicyFile.sha256(good));
      assertThat(decision.action()).isEqualTo(3);
    }
  }

  @Test
  void scoresNothingBeforeAModelIsSet() {
    try (OnnxPolicyServable servable = argmaxServable()) {
      assertThat(servable.hasModel()).isFalse();
      assertThatThrownBy(
              () -> servable.argmaxActions(List.of(new float[d]), List.of(allAllowed.clone())))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("setModelData");
    }
  }

  @Test
  void takesItsParametersFromOptions() {
    try (OnnxPolicyServable servable = new OnnxPolicyServable(spec, PolicyModels.ACTIONS)) {
      servable.withOptions(
          OnnxPolicy.Options.defaults()
              .withMode(OnnxPolicy.Mode.ARGMAX)
              .withMaxBytes(1234)
              .withExpectedSha256("ab"));
      assertThat(servable.get(OnnxPolicyServable.MODE)).isEqualTo("ARGMAX");
      assertThat(servable.get(OnnxPolicyServable.MAX_BYTES)).isEqualTo(1234L);
      assertThat(servable.get(OnnxPolicyServable.EXPECTED_SHA256)).isEqualTo("ab");
      assertThatThrownBy(() -> servable.set(OnnxPolicyServable.MODE, "GREEDY"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private OnnxPolicyServable argmaxServable() {
    return new OnnxPolicyServable(spec, PolicyModels.ACTIONS)
        .set(OnnxPolicyServable.MODE, OnnxPolicy.Mode.ARGMAX.name());
  }

  private PolicyModelWriter randomModel(Random random) {
    int hidden = 16;
    return PolicyModelWriter.forSpec(spec, PolicyModels.ACTIONS)
        .hidden(gaussian(random, d * hidden, 0.5), gaussian(random, hidden, 0.1))
        .output(gaussian(random, hidden * a, 1.0), gaussian(random, a, 0.1));
  }

  private static float[] gaussian(Random random, int n, double scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * scale);
    }
    return v;
  }

  private static DenseVector vector(float[] values) {
    double[] v = new double[values.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = values[i];
    }
    return new DenseVector(v);
  }
}
