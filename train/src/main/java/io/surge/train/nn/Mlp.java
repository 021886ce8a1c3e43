package io.surge.train.nn;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A dense multi-layer perceptron: {@code Relu(x W + b)} hidden layers and a linear output layer.
 * The network holds only its shape; parameters and gradients are flat {@code double[]} arrays laid
 * out layer by layer as {@code W} (row-major {@code [in][out]}) then {@code b}, so an optimiser
 * sees one vector and the exporter can copy each layer out. Per-sample buffers live in a {@link
 * Workspace} (one per thread): forward and backward allocate nothing.
 */
public final class Mlp {

  private final int[] sizes;
  private final int[] weightOffsets;
  private final int[] biasOffsets;
  private final int parameterCount;

  /**
   * @param sizes input width, hidden widths..., output width (at least input and output)
   */
  public Mlp(int... sizes) {
    if (sizes.length < 2) {
      throw new IllegalArgumentException("an MLP needs an input and an output size");
    }
    for (int s : sizes) {
      if (s <= 0) {
        throw new IllegalArgumentException(
            "layer sizes must be positive: " + Arrays.toString(sizes));
      }
    }
    this.sizes = sizes.clone();
    int layers = sizes.length - 1;
    this.weightOffsets = new int[layers];
    this.biasOffsets = new int[layers];
    int offset = 0;
    for (int l = 0; l < layers; l++) {
      weightOffsets[l] = offset;
      offset += sizes[l] * sizes[l + 1];
      biasOffsets[l] = offset;
      offset += sizes[l + 1];
    }
    this.parameterCount = offset;
  }

  public int inputSize() {
    return sizes[0];
  }

  public int outputSize() {
    return sizes[sizes.length - 1];
  }

  /** Number of weight layers (hidden layers + the output layer). */
  public int layers() {
    return sizes.length - 1;
  }

  /** Input width of weight layer {@code layer}. */
  public int layerInput(int layer) {
    return sizes[layer];
  }

  /** Output width of weight layer {@code layer}. */
  public int layerOutput(int layer) {
    return sizes[layer + 1];
  }

  public int parameterCount() {
    return parameterCount;
  }

  /** Offset of layer {@code layer}'s weights {@code [in][out]} in the parameter vector. */
  public int weightOffset(int layer) {
    return weightOffsets[layer];
  }

  /** Offset of layer {@code layer}'s biases in the parameter vector. */
  public int biasOffset(int layer) {
    return biasOffsets[layer];
  }

  public double[] newParameters() {
    return new double[parameterCount];
  }

  public Workspace newWorkspace() {
    return new Workspace(sizes);
  }

  /**
   * He-uniform weights for the Relu layers (variance 2/in keeps activations at scale), the output
   * layer's scaled by {@code outputScale} (small for a policy, so it starts near uniform), zero
   * biases. Uniform rather than Gaussian draws keep initialisation a pure function of the seed.
   */
  public void initialise(double[] parameters, SplittableRandom random, double outputScale) {
    Arrays.fill(parameters, 0);
    for (int l = 0; l < layers(); l++) {
      double limit = Math.sqrt(6.0 / sizes[l]);
      if (l == layers() - 1) {
        limit *= outputScale;
      }
      int end = weightOffsets[l] + sizes[l] * sizes[l + 1];
      for (int i = weightOffsets[l]; i < end; i++) {
        parameters[i] = (2 * random.nextDouble() - 1) * limit;
      }
    }
  }

  /**
   * Runs the network on {@code input[offset .. offset + inputSize)} and returns the output in the
   * workspace's buffer (valid until its next use). Remembers the input for {@link #backward}.
   */
  public double[] forward(double[] parameters, double[] input, int offset, Workspace ws) {
    ws.input = input;
    ws.inputOffset = offset;
    for (int l = 0; l < layers(); l++) {
      double[] in = l == 0 ? input : ws.activations[l];
      int inOffset = l == 0 ? offset : 0;
      double[] out = ws.activations[l + 1];
      int n = sizes[l];
      int m = sizes[l + 1];
      System.arraycopy(parameters, biasOffsets[l], out, 0, m);
      int w = weightOffsets[l];
      for (int i = 0; i < n; i++) {
        double x = in[inOffset + i];
        if (x != 0) {
          int row = w + i * m;
          for (int j = 0; j < m; j++) {
            out[j] += x * parameters[row + j];
          }
        }
      }
      if (l < layers() - 1) {
        for (int j = 0; j < m; j++) {
          if (out[j] < 0) {
            out[j] = 0;
          }
        }
      }
    }
    return ws.activations[layers()];
  }

  /**
   * Back-propagates {@code outputGradient} (d loss / d output) through the last {@link #forward} of
   * this workspace and <em>adds</em> d loss / d parameters to {@code gradient}.
   */
  public void backward(
      double[] parameters, Workspace ws, double[] outputGradient, double[] gradient) {
    double[] delta = ws.deltas[layers()];
    System.arraycopy(outputGradient, 0, delta, 0, outputSize());
    for (int l = layers() - 1; l >= 0; l--) {
      double[] in = l == 0 ? ws.input : ws.activations[l];
      int inOffset = l == 0 ? ws.inputOffset : 0;
      double[] d = ws.deltas[l + 1];
      double[] previous = ws.deltas[l];
      int n = sizes[l];
      int m = sizes[l + 1];
      int w = weightOffsets[l];
      int b = biasOffsets[l];
      for (int j = 0; j < m; j++) {
        gradient[b + j] += d[j];
      }
      for (int i = 0; i < n; i++) {
        double x = in[inOffset + i];
        int row = w + i * m;
        double back = 0;
        for (int j = 0; j < m; j++) {
          gradient[row + j] += x * d[j];
          back += parameters[row + j] * d[j];
        }
        // a hidden unit passes gradient only where its Relu was active (output > 0)
        previous[i] = l > 0 && x <= 0 ? 0 : back;
      }
    }
  }

  /** Per-thread buffers of one sample's forward and backward pass. */
  public static final class Workspace {
    private final double[][] activations;
    private final double[][] deltas;
    private double[] input;
    private int inputOffset;

    private Workspace(int[] sizes) {
      activations = new double[sizes.length][];
      deltas = new double[sizes.length][];
      for (int l = 0; l < sizes.length; l++) {
        activations[l] = new double[sizes[l]];
        deltas[l] = new double[sizes[l]];
      }
    }
  }
}
