package io.surge.policy;

import static io.surge.policy.onnx.PolicyRejectedException.Reason.ACTION_MISMATCH;
import static io.surge.policy.onnx.PolicyRejectedException.Reason.BAD_VERSION;
import static io.surge.policy.onnx.PolicyRejectedException.Reason.CANARY_FAILED;
import static io.surge.policy.onnx.PolicyRejectedException.Reason.CHECKSUM_MISMATCH;
import static io.surge.policy.onnx.PolicyRejectedException.Reason.CUSTOM_OPERATOR;
import static io.surge.policy.onnx.PolicyRejectedException.Reason.EXTERNAL_DATA;
import static io.surge.policy.onnx.PolicyRejectedException.Reason.MISSING_METADATA;
import static io.surge.policy.onnx.PolicyRejectedException.Reason.SPEC_MISMATCH;
import static io.surge.policy.onnx.PolicyRejectedException.Reason.TOO_LARGE;
import static io.surge.policy.onnx.PolicyRejectedException.Reason.UNPARSEABLE;
import static io.surge.policy.onnx.PolicyRejectedException.Reason.WRONG_SIGNATURE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.surge.policy.onnx.OnnxPolicy;
import io.surge.policy.onnx.PolicyFile;
import io.surge.policy.onnx.PolicyModelContract;
import io.surge.policy.onnx.PolicyRejectedException;
import io.surge.state.EstimatorSettings;
import io.surge.state.ObservationSpec;
import io.surge.state.RequestIds;
import io.surge.state.TestServices;
import io.surge.train.export.PolicyModelWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxPolicyTest {

  private static final OnnxPolicy.Options DEFAULTS = OnnxPolicy.Options.defaults();

  private final ObservationSpec spec = TestServices.builder().spec();
  private final int d = spec.dimension();
  private final int a = spec.actionCount();
  private final float[] allAllowed = {1, 1, 1, 1};
  private final Decision decision = new Decision();

  @Test
  void computesTheMaskedSoftmaxOfItsNetwork() throws Exception {
    Mlp mlp = Mlp.random(d, 8, a, new Random(1));
    byte[] bytes = mlp.writer(spec).version(7).trainedOn("trace:x.csv").toBytes();
    float[] observation = randomObservation(new Random(2));
    float[] mask = {1, 0, 1, 1};

    try (OnnxPolicy policy = OnnxPolicy.load(bytes, spec, PolicyModels.ACTIONS, DEFAULTS)) {
      float[] p = policy.evaluate(observation, mask).clone();
      double[] expected = mlp.forward(observation, mask);
      for (int i = 0; i < a; i++) {
        assertThat((double) p[i]).as("p[" + i + "]").isCloseTo(expected[i], within(1e-4));
      }
      assertThat(p[1]).isZero();
      assertThat(policy.version()).isEqualTo(7);
      assertThat(policy.name()).isEqualTo("onnx-v7");
      assertThat(policy.trainedOn()).isEqualTo("trace:x.csv");
      assertThat(policy.sha256()).isEqualTo(PolicyFile.sha256(bytes));
    }
  }

  @Test
  void refillsItsInputBuffersOnEveryCall() throws Exception {
    // feature 0 pushes toward action 0 and away from shed
    float[] w = new float[d * a];
    w[0] = 1f;
    w[a - 1] = -1f;
    byte[] bytes =
        PolicyModelWriter.forSpec(spec, PolicyModels.ACTIONS).output(w, new float[a]).toBytes();
    OnnxPolicy.Options argmax = DEFAULTS.withMode(OnnxPolicy.Mode.ARGMAX);
    try (OnnxPolicy policy = OnnxPolicy.load(bytes, spec, PolicyModels.ACTIONS, argmax)) {
      float[] observation = new float[d];
      for (int round = 0; round < 3; round++) {
        observation[0] = 10;
        policy.decide(observation, allAllowed, 1, null, decision);
        assertThat(decision.action()).isEqualTo(0);
        observation[0] = -10;
        policy.decide(observation, allAllowed, 1, null, decision);
        assertThat(decision.action()).isEqualTo(a - 1);
      }
    }
  }

  @Test
  void samplingIsDeterministicPerRequestId() throws Exception {
    byte[] bytes = PolicyModels.constant(spec, 0.25f, 0.25f, 0.25f, 0.25f).toBytes();
    try (OnnxPolicy first = OnnxPolicy.load(bytes, spec, PolicyModels.ACTIONS, DEFAULTS);
        OnnxPolicy second = OnnxPolicy.load(bytes, spec, PolicyModels.ACTIONS, DEFAULTS)) {
      float[] observation = new float[d];
      boolean[] seen = new boolean[a];
      for (int i = 0; i < 200; i++) {
        long seed = RequestIds.key("request-" + i);
        first.decide(observation, allAllowed, seed, null, decision);
        int action = decision.action();
        second.decide(observation, allAllowed, seed, null, decision);
        assertThat(decision.action()).isEqualTo(action);
        seen[action] = true;
      }
      assertThat(seen).containsOnly(true);
    }
  }

  @Test
  void sampledFrequenciesMatchTheProbabilities() throws Exception {
    byte[] bytes = PolicyModels.constant(spec, 0.1f, 0.2f, 0.3f, 0.4f).toBytes();
    try (OnnxPolicy policy = OnnxPolicy.load(bytes, spec, PolicyModels.ACTIONS, DEFAULTS)) {
      float[] observation = new float[d];
      int[] counts = new int[a];
      int n = 20_000;
      for (int i = 0; i < n; i++) {
        policy.decide(observation, allAllowed, RequestIds.key("r-" + i), null, decision);
        counts[decision.action()]++;
        assertThat(decision.probability()).isCloseTo(0.1 * (decision.action() + 1), within(1e-5));
      }
      for (int i = 0; i < a; i++) {
        assertThat(counts[i] / (double) n).isCloseTo(0.1 * (i + 1), within(0.015));
      }
    }
  }

  @Test
  void neverChoosesAMaskedActionEvenWhenTheModelGivesItMass() throws Exception {
    byte[] bytes = PolicyModels.ignoringMask(spec, 0.7f, 0.1f, 0.1f, 0.1f);
    try (OnnxPolicy policy = OnnxPolicy.load(bytes, spec, PolicyModels.ACTIONS, DEFAULTS)) {
      float[] mask = {0, 1, 1, 1};
      float[] observation = new float[d];
      assertThat(policy.evaluate(observation, mask)[0]).isCloseTo(0.7f, within(1e-6f));
      for (int i = 0; i < 2_000; i++) {
        policy.decide(observation, mask, RequestIds.key("m-" + i), null, decision);
        assertThat(decision.action()).isNotZero();
        assertThat(decision.probability()).isCloseTo(1 / 3.0, within(1e-6));
      }
    }
  }

  @Test
  void argmaxModeTakesTheMostLikelyAllowedAction() throws Exception {
    byte[] bytes = PolicyModels.constant(spec, 0.1f, 0.2f, 0.3f, 0.4f).toBytes();
    OnnxPolicy.Options argmax = DEFAULTS.withMode(OnnxPolicy.Mode.ARGMAX);
    try (OnnxPolicy policy = OnnxPolicy.load(bytes, spec, PolicyModels.ACTIONS, argmax)) {
      policy.decide(new float[d], allAllowed, 5, null, decision);
      assertThat(decision.action()).isEqualTo(3);
      policy.decide(new float[d], new float[] {1, 1, 1, 1}, 6, null, decision);
      assertThat(decision.action()).isEqualTo(3);
      assertThat(policy.mode()).isEqualTo(OnnxPolicy.Mode.ARGMAX);
    }
  }

  @Test
  void epsilonGreedyModeServesTheArgmaxButExploresAndLogsTheMixture() throws Exception {
    byte[] bytes = PolicyModels.constant(spec, 0.1f, 0.2f, 0.3f, 0.4f).toBytes();
    OnnxPolicy.Options explore = DEFAULTS.withMode(OnnxPolicy.Mode.EPSILON_GREEDY);
    double e = OnnxPolicy.Mode.EXPLORATION;
    try (OnnxPolicy policy = OnnxPolicy.load(bytes, spec, PolicyModels.ACTIONS, explore)) {
      int n = 20_000;
      int greedy = 0;
      for (int i = 0; i < n; i++) {
        policy.decide(new float[d], allAllowed, RequestIds.key("x-" + i), null, decision);
        int action = decision.action();
        double mixture = (action == 3 ? 1 - e : 0) + e * 0.1 * (action + 1);
        assertThat(decision.probability()).isCloseTo(mixture, within(1e-5));
        greedy += action == 3 ? 1 : 0;
      }
      assertThat(greedy / (double) n).isCloseTo(1 - e + e * 0.4, within(0.01));
    }
  }

  @Test
  void writtenFilesLoadLikeBytes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("nested/policy.onnx");
    goodWriter().writeTo(file);
    byte[] bytes = Files.readAllBytes(file);
    try (OnnxPolicy policy = OnnxPolicy.load(bytes, spec, PolicyModels.ACTIONS, DEFAULTS)) {
      assertThat(policy.version()).isEqualTo(3);
    }
  }

  // ---------------------------------------------------------------- rejections

  @Test
  void rejectsTooLargeModels() {
    byte[] bytes = goodModel().toByteArray();
    assertRejected(bytes, DEFAULTS.withMaxBytes(bytes.length - 1), TOO_LARGE);
  }

  @Test
  void rejectsAChecksumMismatch() {
    byte[] bytes = goodModel().toByteArray();
    assertRejected(bytes, DEFAULTS.withExpectedSha256("00".repeat(32)), CHECKSUM_MISMATCH);
    assertThat(load(bytes, DEFAULTS.withExpectedSha256(PolicyFile.sha256(bytes).toUpperCase())))
        .isNotNull();
  }

  @Test
  void rejectsBytesThatAreNoModel() {
    assertRejected("definitely not onnx".getBytes(StandardCharsets.UTF_8), DEFAULTS, UNPARSEABLE);
    assertRejected(new byte[0], DEFAULTS, UNPARSEABLE);
  }

  @Test
  void rejectsExternalData() {
    ModelProto good = goodModel();
    TensorProto weights =
        good.getGraph().getInitializer(0).toBuilder()
            .setDataLocation(TensorProto.DataLocation.EXTERNAL)
            .addExternalData(PolicyModels.entry("location", "../../etc/weights.bin"))
            .build();
    ModelProto bad =
        good.toBuilder().setGraph(good.getGraph().toBuilder().setInitializer(0, weights)).build();
    assertRejected(bad.toByteArray(), DEFAULTS, EXTERNAL_DATA);
  }

  @Test
  void rejectsCustomOperatorDomains() {
    ModelProto good = goodModel();
    NodeProto custom =
        NodeProto.newBuilder()
            .setOpType("Exfiltrate")
            .setDomain("com.example.evil")
            .addInput(PolicyModelContract.OBSERVATION)
            .addOutput("unused")
            .build();
    ModelProto bad =
        good.toBuilder()
            .addOpsetImport(
                OperatorSetIdProto.newBuilder().setDomain("com.example.evil").setVersion(1))
            .setGraph(good.getGraph().toBuilder().addNode(custom))
            .build();
    assertRejected(bad.toByteArray(), DEFAULTS, CUSTOM_OPERATOR);
  }

  @Test
  void rejectsWrongInputNamesAndShapes() {
    ModelProto renamed = PolicyModels.rename(goodModel(), PolicyModelContract.OBSERVATION, "obs");
    assertRejected(renamed.toByteArray(), DEFAULTS, WRONG_SIGNATURE);

    ObservationSpec flat =
        new ObservationSpec(3, EstimatorSettings.defaults().withHistoryLength(0));
    byte[] wrongWidth =
        PolicyModels.constant(flat, 0.25f, 0.25f, 0.25f, 0.25f)
            .metadata(PolicyModelContract.SPEC_HASH, spec.hash())
            .toBytes();
    assertRejected(wrongWidth, DEFAULTS, WRONG_SIGNATURE);
  }

  @Test
  void rejectsMissingOrBadMetadata() {
    ModelProto noHash = PolicyModels.withoutMetadata(goodModel(), PolicyModelContract.SPEC_HASH);
    assertRejected(noHash.toByteArray(), DEFAULTS, MISSING_METADATA);
    byte[] badVersion = goodWriter().metadata(PolicyModelContract.VERSION, "v2").toBytes();
    assertRejected(badVersion, DEFAULTS, BAD_VERSION);
    assertRejected(goodWriter().version(0).toBytes(), DEFAULTS, BAD_VERSION);
  }

  @Test
  void rejectsAPolicyTrainedOnAnotherObservationSpec() {
    ObservationSpec other =
        new ObservationSpec(3, EstimatorSettings.defaults().withHistoryLength(2));
    byte[] bytes = PolicyModels.constant(other, 0.25f, 0.25f, 0.25f, 0.25f).toBytes();
    PolicyRejectedException e = assertRejected(bytes, DEFAULTS, SPEC_MISMATCH);
    assertThat(e).hasMessageContaining(other.hash()).hasMessageContaining(spec.hash());
  }

  @Test
  void rejectsAnotherActionList() {
    byte[] bytes =
        goodWriter().metadata(PolicyModelContract.ACTIONS, "small,large,medium").toBytes();
    assertRejected(bytes, DEFAULTS, ACTION_MISMATCH);
  }

  @Test
  void rejectsNanOutputs() {
    float[] bias = {0, Float.NaN, 0, 0};
    byte[] bytes =
        PolicyModelWriter.forSpec(spec, PolicyModels.ACTIONS)
            .output(new float[d * a], bias)
            .toBytes();
    assertRejected(bytes, DEFAULTS, CANARY_FAILED);
  }

  @Test
  void rejectsOutputsThatAreNotADistribution() {
    assertRejected(
        PolicyModels.ignoringMask(spec, 0.5f, 0.5f, 0.5f, 0.5f), DEFAULTS, CANARY_FAILED);
    assertRejected(PolicyModels.ignoringMask(spec, 1.5f, -0.5f, 0f, 0f), DEFAULTS, CANARY_FAILED);
  }

  // ---------------------------------------------------------------- helpers

  private PolicyModelWriter goodWriter() {
    return PolicyModels.constant(spec, 0.25f, 0.25f, 0.25f, 0.25f);
  }

  private ModelProto goodModel() {
    return goodWriter().build();
  }

  private OnnxPolicy load(byte[] bytes, OnnxPolicy.Options options) {
    try {
      OnnxPolicy policy = OnnxPolicy.load(bytes, spec, PolicyModels.ACTIONS, options);
      policy.close();
      return policy;
    } catch (PolicyRejectedException e) {
      throw new AssertionError("unexpected rejection", e);
    }
  }

  private PolicyRejectedException assertRejected(
      byte[] bytes, OnnxPolicy.Options options, PolicyRejectedException.Reason reason) {
    PolicyRejectedException[] caught = new PolicyRejectedException[1];
    assertThatThrownBy(
            () -> OnnxPolicy.load(bytes, spec, List.copyOf(PolicyModels.ACTIONS), options))
        .isInstanceOfSatisfying(
            PolicyRejectedException.class,
            e -> {
              assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
              caught[0] = e;
            });
    return caught[0];
  }

  private float[] randomObservation(Random random) {
    float[] x = new float[d];
    for (int i = 0; i < d; i++) {
      x[i] = (float) (random.nextGaussian() * 50 + 20);
    }
    return x;
  }

  /** A one-hidden-layer network and its reference forward pass in Java. */
  private record Mlp(float[] mean, float[] std, float[] w1, float[] b1, float[] w2, float[] b2) {

    static Mlp random(int in, int hidden, int out, Random r) {
      return new Mlp(
          gaussian(r, in, 20),
          positive(r, in),
          gaussian(r, in * hidden, 0.3),
          gaussian(r, hidden, 0.1),
          gaussian(r, hidden * out, 0.5),
          gaussian(r, out, 0.1));
    }

    PolicyModelWriter writer(ObservationSpec spec) {
      return PolicyModelWriter.forSpec(spec, PolicyModels.ACTIONS)
          .normalisation(mean, std)
          .hidden(w1, b1)
          .output(w2, b2);
    }

    double[] forward(float[] x, float[] mask) {
      int in = mean.length;
      double[] z = new double[in];
      for (int i = 0; i < in; i++) {
        z[i] = (x[i] - mean[i]) / std[i];
      }
      double[] h = dense(z, w1, b1, true);
      double[] logits = dense(h, w2, b2, false);
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < logits.length; i++) {
        if (mask[i] > 0) {
          max = Math.max(max, logits[i]);
        }
      }
      double[] p = new double[logits.length];
      double sum = 0;
      for (int i = 0; i < logits.length; i++) {
        p[i] = mask[i] > 0 ? Math.exp(logits[i] - max) : 0;
        sum += p[i];
      }
      for (int i = 0; i < p.length; i++) {
        p[i] /= sum;
      }
      return p;
    }

    private static double[] dense(double[] x, float[] w, float[] b, boolean relu) {
      double[] y = new double[b.length];
      for (int j = 0; j < b.length; j++) {
        double s = b[j];
        for (int i = 0; i < x.length; i++) {
          s += x[i] * w[i * b.length + j];
        }
        y[j] = relu ? Math.max(0, s) : s;
      }
      return y;
    }

    private static float[] gaussian(Random r, int n, double scale) {
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) (r.nextGaussian() * scale);
      }
      return v;
    }

    private static float[] positive(Random r, int n) {
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) (10 + r.nextDouble() * 40);
      }
      return v;
    }
  }
}
