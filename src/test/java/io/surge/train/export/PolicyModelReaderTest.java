package io.surge.train.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surge.policy.onnx.OnnxPolicy;
import io.surge.policy.onnx.PolicyModelContract;
import io.surge.sim.engine.Simulator;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.state.ObservationSpec;
import io.surge.train.ppo.ActorCritic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The shipped policy read back into networks and written again computes the same probabilities
 * through ONNX Runtime, and the networks' own forward agrees with it: what the online trainer
 * fine-tunes is the policy that runs.
 */
class PolicyModelReaderTest {

  private static final Path SHIPPED = Path.of("deploy", "policies", "default.onnx");

  @Test
  void theShippedPolicyRoundTripsToTheSameProbabilities() throws Exception {
    Simulator simulator = new Simulator(SimulatorConfig.defaults());
    ObservationSpec spec = simulator.spec();
    List<String> variants = simulator.topology().actionNames();
    byte[] original = Files.readAllBytes(SHIPPED);

    PolicyModelReader.Actor actor = PolicyModelReader.read(original);
    ActorCritic networks = actor.toNetworks(1);
    byte[] rewritten =
        PolicyExporter.writer(networks, spec, variants).version(9).trainedOn("again").toBytes();

    assertThat(actor.specHash()).isEqualTo(spec.hash());
    assertThat(actor.observationSize()).isEqualTo(spec.dimension());
    assertThat(actor.actionCount()).isEqualTo(spec.actionCount());
    assertThat(PolicyModelReader.read(rewritten).metadata())
        .containsEntry(PolicyModelContract.VERSION, "9");
    SplittableRandom random = new SplittableRandom(5);
    ActorCritic.Evaluator java = networks.newEvaluator();
    int a = spec.actionCount();
    float[] mask = new float[a];
    double worstOnnx = 0;
    double worstJava = 0;
    double largestChange = 0;
    try (OnnxPolicy before =
            OnnxPolicy.load(original, spec, variants, OnnxPolicy.Options.defaults());
        OnnxPolicy after =
            OnnxPolicy.load(rewritten, spec, variants, OnnxPolicy.Options.defaults())) {
      float[] previous = null;
      for (int n = 0; n < 500; n++) {
        float[] observation = new float[spec.dimension()];
        for (int i = 0; i < observation.length; i++) {
          observation[i] = (float) (3 * random.nextDouble() - 1);
        }
        for (int i = 0; i < a - 1; i++) {
          mask[i] = random.nextDouble() < 0.8 ? 1 : 0;
        }
        mask[a - 1] = 1;
        float[] expected = before.evaluate(observation, mask);
        float[] actual = after.evaluate(observation, mask);
        double[] fromJava = java.probabilities(observation, 0, mask, 0);
        for (int i = 0; i < a; i++) {
          worstOnnx = Math.max(worstOnnx, Math.abs(expected[i] - actual[i]));
          worstJava = Math.max(worstJava, Math.abs(expected[i] - fromJava[i]));
          if (previous != null) {
            largestChange = Math.max(largestChange, Math.abs(previous[i] - expected[i]));
          }
        }
        previous = expected.clone();
      }
    }
    assertThat(worstOnnx).isLessThan(1e-6);
    assertThat(worstJava).isLessThan(1e-5);
    // the inputs did move the policy: the comparison was not between two constants
    assertThat(largestChange).isGreaterThan(0.05);
  }

  @Test
  void bytesThatAreNoPolicyModelAreRefused() {
    assertThatThrownBy(() -> PolicyModelReader.read(new byte[] {1, 2, 3, 4}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
