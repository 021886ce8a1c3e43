package io.surge.train.nn;

/**
 * Adam (Kingma and Ba, 2015) over one flat parameter vector, with bias correction. The moments are
 * this optimiser's state; only arithmetic and square roots are used, so steps are bit-reproducible.
 */
public final class Adam {

  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;

  private final double epsilon;
  private final double[] firstMoment;
  private final double[] secondMoment;
  private double beta1Power = 1;
  private double beta2Power = 1;

  public Adam(int size, double epsilon) {
    this.epsilon = epsilon;
    this.firstMoment = new double[size];
    this.secondMoment = new double[size];
  }

  /** One descent step on {@code parameters} along {@code gradient} with {@code learningRate}. */
  public void step(double[] parameters, double[] gradient, double learningRate) {
    beta1Power *= BETA1;
    beta2Power *= BETA2;
    double stepSize = learningRate * Math.sqrt(1 - beta2Power) / (1 - beta1Power);
    for (int i = 0; i < parameters.length; i++) {
      double g = gradient[i];
      firstMoment[i] = BETA1 * firstMoment[i] + (1 - BETA1) * g;
      secondMoment[i] = BETA2 * secondMoment[i] + (1 - BETA2) * g * g;
      parameters[i] -= stepSize * firstMoment[i] / (Math.sqrt(secondMoment[i]) + epsilon);
    }
  }

  /**
   * Scales {@code gradient} down to norm {@code maxNorm} if it is longer (a bad minibatch then
   * cannot throw the policy far); returns the norm before clipping.
   */
  public static double clipNorm(double[] gradient, double maxNorm) {
    double squares = 0;
    for (double g : gradient) {
      squares += g * g;
    }
    double norm = Math.sqrt(squares);
    if (norm > maxNorm) {
      double scale = maxNorm / norm;
      for (int i = 0; i < gradient.length; i++) {
        gradient[i] *= scale;
      }
    }
    return norm;
  }
}
