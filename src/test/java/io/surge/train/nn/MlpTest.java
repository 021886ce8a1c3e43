package io.surge.train.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MlpTest {

  @Test
  void backwardMatchesFiniteDifferencesOnRandomNetworks() {
    SplittableRandom random = new SplittableRandom(11);
    int[][] shapes = {{3, 2}, {4, 7, 3}, {5, 8, 6, 4}, {2, 16, 16, 1}};
    for (int[] shape : shapes) {
      Mlp mlp = new Mlp(shape);
      double[] parameters = mlp.newParameters();
      mlp.initialise(parameters, random, 1);
      for (int i = 0; i < parameters.length; i++) {
        parameters[i] += 0.1 * (random.nextDouble() - 0.5); // non-zero biases too
      }
      double[] input = randomVector(random, mlp.inputSize() + 2);
      double[] outputWeights = randomVector(random, mlp.outputSize());
      Mlp.Workspace ws = mlp.newWorkspace();
      // loss = sum_j c_j * output_j of the input at offset 2, so d loss / d output = c
      double[] analytic = mlp.newParameters();
      mlp.forward(parameters, input, 2, ws);
      mlp.backward(parameters, ws, outputWeights, analytic);

      double error =
          GradientCheck.maxRelativeError(
              parameters,
              analytic,
              p -> {
                double[] out = mlp.forward(p, input, 2, ws);
                double loss = 0;
                for (int j = 0; j < out.length; j++) {
                  loss += outputWeights[j] * out[j];
                }
                return loss;
              });
      assertThat(error).as("network %s", Arrays.toString(shape)).isLessThan(1e-5);
    }
  }

  @Test
  void backwardAccumulatesIntoTheGradient() {
    Mlp mlp = new Mlp(3, 4, 2);
    double[] parameters = mlp.newParameters();
    mlp.initialise(parameters, new SplittableRandom(1), 1);
    Mlp.Workspace ws = mlp.newWorkspace();
    double[] once = mlp.newParameters();
    double[] twice = mlp.newParameters();
    double[] input = {0.5, -1, 2};
    double[] upstream = {1, -2};
    mlp.forward(parameters, input, 0, ws);
    mlp.backward(parameters, ws, upstream, once);
    mlp.backward(parameters, ws, upstream, twice);
    mlp.backward(parameters, ws, upstream, twice);
    for (int i = 0; i < once.length; i++) {
      assertThat(twice[i]).isEqualTo(2 * once[i]);
    }
  }

  @Test
  void maskedActionsGetExactlyZeroProbability() {
    double[] logits = {3, 50, -2, 0.5};
    float[] mask = {1, 0, 1, 1};
    double[] p = new double[4];
    MaskedSoftmax.probabilities(logits, mask, 0, p);
    assertThat(p[1]).isZero();
    assertThat(p[0] + p[2] + p[3]).isCloseTo(1, within(1e-15));
  }

  @Test
  void normaliserMatchesTheSampleMoments() {
    ObservationNormaliser normaliser = new ObservationNormaliser(2, 1e-3, 10);
    float[][] rows = {{1, 5}, {2, 5}, {3, 5}, {6, 5}};
    for (float[] row : rows) {
      normaliser.observe(row, 0);
    }
    Normalisation n = normaliser.freeze();
    assertThat(n.mean()).containsExactly(3, 5);
    // population variance (4+1+0+9)/4, rounded to the model's float32
    assertThat(n.std()[0]).isEqualTo((float) Math.sqrt(3.5));
    // a constant feature is floored, not divided by 0
    assertThat(n.std()[1]).isEqualTo((float) 1e-3);
    double[] out = new double[2];
    n.apply(new float[] {1000, 5}, 0, out, 0);
    assertThat(out).containsExactly(10, 0); // clipped
  }

  private static double[] randomVector(SplittableRandom random, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 2 * random.nextDouble() - 1;
    }
    return v;
  }
}
