package io.surge.train.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.sim.engine.Calibration;
import io.surge.sim.engine.Simulator;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.state.EstimatorSettings;
import io.surge.state.ObservationSpec;
import io.surge.state.catalog.Catalog;
import io.surge.train.export.PolicyModelWriter;
import io.surge.train.ppo.PpoConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop publishes after a drift when a better candidate exists: the running policy serves the
 * most accurate variant, which the site carried before edge-1 slowed down 3x and cannot carry
 * after, so most of its requests are late. One cycle fine-tunes it in the simulator calibrated by
 * what the job observed, the guard finds the candidate better with its CI above zero, and the
 * learner publishes it and runs it from then on.
 */
class OnlineLearnerDriftRecoveryTest {

  private static final Calibration BASE = Calibration.defaults();
  private static final Catalog CATALOG = Calibration.defaultCatalog();
  private static final String SERVICE = CATALOG.services().get(0).name();

  @TempDir Path dir;

  private final List<Path> published = new ArrayList<>();

  @Test
  void aPolicyMadeBadByTheDriftIsReplacedByABetterOne() {
    Path running = largestVariantPolicy(dir.resolve("largest.onnx"));
    OnlineLearner learner = learner(running);
    OnlineLearnerTest.feedDrift(learner);

    CycleOutcome outcome = learner.cycle();

    System.out.println(outcome.reason());
    assertThat(outcome.status()).isEqualTo(CycleOutcome.Status.PUBLISHED);
    assertThat(outcome.verdict().candidate()).isGreaterThan(outcome.verdict().running() + 0.05);
    assertThat(outcome.verdict().difference().lower()).isGreaterThan(0);
    assertThat(published).containsExactly(outcome.candidate());
    assertThat(learner.running()).isEqualTo(outcome.candidate());
    assertThat(learner.counters().published()).isEqualTo(1);
  }

  /** Small random hidden weights (so that gradients reach them); the largest variant favoured. */
  private static Path largestVariantPolicy(Path file) {
    Simulator simulator =
        new Simulator(
            SimulatorConfig.of(CATALOG, SERVICE, BASE)
                .withEstimators(EstimatorSettings.defaults()));
    ObservationSpec spec = simulator.spec();
    int d = spec.dimension();
    int a = spec.actionCount();
    int hidden = 16;
    Random random = new Random(3);
    float[] output = new float[a];
    output[a - 2] = 0.5f; // the most accurate variant
    output[a - 1] = -1f; // shed
    PolicyModelWriter.forSpec(spec, simulator.topology().actionNames())
        .hidden(gaussian(random, d * hidden, 0.05), new float[hidden])
        .output(gaussian(random, hidden * a, 0.05), output)
        .version(1)
        .trainedOn("the regime before the drift")
        .writeTo(file);
    return file;
  }

  private OnlineLearner learner(Path running) {
    LearnerSettings small =
        new LearnerSettings(
            500,
            2_048,
            16_384,
            3,
            PpoConfig.defaults().toBuilder()
                .environments(2)
                .threads(2)
                .rolloutDecisions(256)
                .minibatchSize(128)
                .epochs(4)
                .learningRate(3e-3)
                .entropyCoefficient(0)
                .rewardScale(0.01)
                .discountSeconds(0.5)
                .normaliseValues(true)
                .build(),
            -30,
            5,
            8,
            0.0025,
            2,
            Duration.ofMinutes(2),
            1,
            0,
            true,
            4,
            0);
    return new OnlineLearner(
        CATALOG,
        SERVICE,
        BASE,
        EstimatorSettings.defaults(),
        small,
        running,
        dir,
        candidate -> {
          published.add(candidate);
          return 1 + published.size();
        });
  }

  private static float[] gaussian(Random random, int n, double scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * scale);
    }
    return v;
  }
}
