package io.surge.train.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surge.policy.onnx.OnnxPolicy;
import io.surge.policy.onnx.PolicyFile;
import io.surge.policy.onnx.PolicyModelContract;
import io.surge.policy.onnx.PolicyRejectedException;
import io.surge.state.EstimatorSettings;
import io.surge.state.ObservationSpec;
import io.surge.train.export.PolicyExporter;
import io.surge.train.nn.ObservationNormaliser;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The exported model computes what the trainer's Java forward computes: ONNX Runtime's float32
 * probabilities match within 1e-5 on random raw observations (features of very different scales,
 * some far enough out to be clipped) and random masks; the file passes the serving validator.
 */
class PolicyExportParityTest {

  private static final List<String> VARIANTS = List.of("r18", "r34", "r50", "r101", "r152");
  private static final ObservationSpec SPEC =
      new ObservationSpec(VARIANTS.size(), EstimatorSettings.defaults());

  @Test
  void onnxRuntimeMatchesTheJavaForwardOnRandomObservationsAndMasks() throws Exception {
    SplittableRandom random = new SplittableRandom(3);
    int d = SPEC.dimension();
    int actions = SPEC.actionCount();
    ActorCritic networks = new ActorCritic(d, actions, new int[] {32, 32}, random);
    double[] actor = networks.liveActorParameters();
    for (int i = 0; i < actor.length; i++) {
      actor[i] += 0.3 * (random.nextDouble() - 0.5); // far from the near-uniform initial policy
    }
    double[] scales = new double[d];
    for (int i = 0; i < d; i++) {
      scales[i] = i == 0 ? 0 : Math.pow(10, 4 * random.nextDouble() - 2); // feature 0 constant
    }
    ObservationNormaliser normaliser = new ObservationNormaliser(d, 1e-3, 10);
    for (int n = 0; n < 500; n++) {
      normaliser.observe(observation(random, scales, 0), 0);
    }
    networks.normalisation(normaliser.freeze());

    byte[] model =
        PolicyExporter.writer(networks, SPEC, VARIANTS).version(7).trainedOn("test").toBytes();
    assertThat(PolicyFile.of(model, PolicyFile.DEFAULT_MAX_BYTES, null).metadata())
        .containsEntry(PolicyModelContract.SPEC_HASH, SPEC.hash());
    ActorCritic.Evaluator java = networks.newEvaluator();
    float[] mask = new float[actions];
    try (OnnxPolicy onnx = OnnxPolicy.load(model, SPEC, VARIANTS, OnnxPolicy.Options.defaults())) {
      double worst = 0;
      for (int n = 0; n < 1_000; n++) {
        float[] observation = observation(random, scales, 0.05);
        for (int a = 0; a < actions - 1; a++) {
          mask[a] = random.nextDouble() < 0.7 ? 1 : 0;
        }
        mask[actions - 1] = 1;
        double[] expected = java.probabilities(observation, 0, mask, 0);
        float[] actual = onnx.evaluate(observation, mask);
        for (int a = 0; a < actions; a++) {
          worst = Math.max(worst, Math.abs(actual[a] - expected[a]));
          if (mask[a] == 0) {
            assertThat(actual[a]).isZero();
          }
        }
      }
      assertThat(worst).isLessThan(1e-5);
    }
  }

  @Test
  void aModelForAnotherSpecIsRejected() {
    ActorCritic networks =
        new ActorCritic(
            SPEC.dimension(), SPEC.actionCount(), new int[] {8}, new SplittableRandom(1));
    byte[] model = PolicyExporter.writer(networks, SPEC, VARIANTS).toBytes();
    ObservationSpec other =
        new ObservationSpec(VARIANTS.size(), EstimatorSettings.defaults().withHistoryLength(1));
    assertThatThrownBy(() -> OnnxPolicy.load(model, other, VARIANTS, OnnxPolicy.Options.defaults()))
        .isInstanceOf(PolicyRejectedException.class)
        .hasMessageContaining(SPEC.hash());
  }

  /** Each feature at its scale around a feature-dependent centre; a share of outliers at 50x. */
  private static float[] observation(SplittableRandom random, double[] scales, double outliers) {
    float[] x = new float[scales.length];
    for (int i = 0; i < x.length; i++) {
      double spread = random.nextDouble() < outliers ? 50 : 1;
      x[i] = (float) (i + scales[i] * spread * (2 * random.nextDouble() - 1));
    }
    return x;
  }
}
