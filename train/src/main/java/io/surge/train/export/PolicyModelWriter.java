package io.surge.train.export;

import static io.surge.train.export.OnnxProtos.floats;
import static io.surge.train.export.OnnxProtos.longs;
import static io.surge.train.export.OnnxProtos.node;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import io.surge.policy.onnx.PolicyModelContract;
import io.surge.state.ObservationSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a policy network as an ONNX model that meets the policy-model contract (DESIGN.md section
 * 6): {@code (observation - mean) / std}, optionally clipped to {@code [-clip, clip]}, then hidden
 * layers {@code Relu(Gemm(x, W, b))}, an output {@code Gemm} to one logit per action, and a masked
 * softmax: {@code softmax(logits + (mask - 1) * 1e9)}, multiplied by the mask and renormalised, so
 * a masked action gets exactly 0. Metadata carries the spec hash, action names, version and
 * training workload.
 *
 * <p>Weights are row-major {@code [in][out]} (ONNX Gemm without transposition).
 */
public final class PolicyModelWriter {

  private static final float MASK_PENALTY = 1e9f;

  private final int dimension;
  private final int actions;
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private float[] mean;
  private float[] std;
  private float clip = Float.POSITIVE_INFINITY;
  private final List<float[]> weights = new ArrayList<>();
  private final List<float[]> biases = new ArrayList<>();
  private int width;

  private PolicyModelWriter(ObservationSpec spec, List<String> actionNames) {
    if (actionNames.size() + 1 != spec.actionCount()) {
      throw new IllegalArgumentException(
          actionNames.size() + " variant names for a spec with " + spec.variants() + " variants");
    }
    this.dimension = spec.dimension();
    this.actions = spec.actionCount();
    this.width = dimension;
    this.mean = new float[dimension];
    this.std = new float[dimension];
    Arrays.fill(std, 1f);
    metadata.put(PolicyModelContract.SPEC_HASH, spec.hash());
    metadata.put(PolicyModelContract.ACTIONS, String.join(",", actionNames));
    metadata.put(PolicyModelContract.VERSION, "1");
    metadata.put(PolicyModelContract.TRAINED_ON, "");
  }

  /** A writer for a policy over {@code spec} whose variants are {@code actionNames} in order. */
  public static PolicyModelWriter forSpec(ObservationSpec spec, List<String> actionNames) {
    return new PolicyModelWriter(spec, actionNames);
  }

  public PolicyModelWriter version(long version) {
    return metadata(PolicyModelContract.VERSION, Long.toString(version));
  }

  public PolicyModelWriter trainedOn(String workload) {
    return metadata(PolicyModelContract.TRAINED_ON, workload);
  }

  /** Sets (or overrides) a metadata entry. */
  public PolicyModelWriter metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  /** Per-feature normalisation, the model's first layer; {@code std} must be positive. */
  public PolicyModelWriter normalisation(float[] mean, float[] std) {
    if (mean.length != dimension || std.length != dimension) {
      throw new IllegalArgumentException("normalisation needs " + dimension + " means and stds");
    }
    for (float s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("std must be positive: " + s);
      }
    }
    this.mean = mean.clone();
    this.std = std.clone();
    return this;
  }

  /**
   * Clips the normalised features to {@code [-bound, bound]} (as the learner did in training); an
   * infinite bound, the default, writes no clip.
   */
  public PolicyModelWriter clip(float bound) {
    if (!(bound > 0)) {
      throw new IllegalArgumentException("clip bound must be positive: " + bound);
    }
    this.clip = bound;
    return this;
  }

  /** Appends a hidden layer {@code Relu(x W + b)} with {@code bias.length} units. */
  public PolicyModelWriter hidden(float[] weights, float[] bias) {
    addLayer(weights, bias);
    return this;
  }

  /** The output layer: one logit per action; call last. */
  public PolicyModelWriter output(float[] weights, float[] bias) {
    if (bias.length != actions) {
      throw new IllegalArgumentException("output layer needs " + actions + " units");
    }
    addLayer(weights, bias);
    return this;
  }

  private void addLayer(float[] w, float[] b) {
    if (b.length == 0 || w.length != width * b.length) {
      throw new IllegalArgumentException(
          "layer weights must be [" + width + " x " + b.length + "], got " + w.length + " values");
    }
    weights.add(w.clone());
    biases.add(b.clone());
    width = b.length;
  }

  public ModelProto build() {
    if (weights.isEmpty() || width != actions) {
      throw new IllegalStateException("the output layer (" + actions + " logits) is missing");
    }
    GraphProto.Builder g =
        GraphProto.newBuilder()
            .setName("surge_policy")
            .addInput(OnnxProtos.batchOfVectors(PolicyModelContract.OBSERVATION, dimension))
            .addInput(OnnxProtos.batchOfVectors(PolicyModelContract.MASK, actions))
            .addOutput(OnnxProtos.batchOfVectors(PolicyModelContract.PROBABILITIES, actions));
    String x = normalise(g);
    for (int i = 0; i < weights.size(); i++) {
      x = dense(g, i, x, i < weights.size() - 1);
    }
    maskedSoftmax(g, x);
    ModelProto.Builder m =
        ModelProto.newBuilder()
            .setIrVersion(OnnxProtos.IR_VERSION)
            .setProducerName("surge")
            .addOpsetImport(
                OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxProtos.OPSET))
            .setGraph(g);
    metadata.forEach(
        (k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return m.build();
  }

  public byte[] toBytes() {
    return build().toByteArray();
  }

  /** Writes the model file (e.g. {@code policy.onnx}). */
  public void writeTo(Path file) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      Files.write(file, toBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write policy model " + file, e);
    }
  }

  private String normalise(GraphProto.Builder g) {
    g.addInitializer(floats("norm_mean", mean, dimension));
    g.addInitializer(floats("norm_std", std, dimension));
    g.addNode(node("Sub", "centered", PolicyModelContract.OBSERVATION, "norm_mean"));
    g.addNode(node("Div", "normalised", "centered", "norm_std"));
    if (Float.isInfinite(clip)) {
      return "normalised";
    }
    g.addInitializer(floats("clip_min", new float[] {-clip}));
    g.addInitializer(floats("clip_max", new float[] {clip}));
    g.addNode(node("Clip", "clipped", "normalised", "clip_min", "clip_max"));
    return "clipped";
  }

  private String dense(GraphProto.Builder g, int layer, String input, boolean relu) {
    float[] w = weights.get(layer);
    float[] b = biases.get(layer);
    String wName = "layer" + layer + "_w";
    String bName = "layer" + layer + "_b";
    g.addInitializer(floats(wName, w, w.length / b.length, b.length));
    g.addInitializer(floats(bName, b, b.length));
    String out = relu ? "layer" + layer + "_linear" : "logits";
    g.addNode(node("Gemm", out, input, wName, bName));
    if (!relu) {
      return out;
    }
    String activated = "layer" + layer + "_relu";
    g.addNode(node("Relu", activated, out));
    return activated;
  }

  private void maskedSoftmax(GraphProto.Builder g, String logits) {
    g.addInitializer(floats("one", new float[] {1f}));
    g.addInitializer(floats("mask_penalty", new float[] {MASK_PENALTY}));
    g.addInitializer(longs("action_axis", new long[] {1}, 1));
    String m = PolicyModelContract.MASK;
    g.addNode(node("Sub", "mask_minus_one", m, "one"));
    g.addNode(node("Mul", "mask_offset", "mask_minus_one", "mask_penalty"));
    g.addNode(node("Add", "masked_logits", logits, "mask_offset"));
    g.addNode(OnnxProtos.withIntAttribute(node("Softmax", "softmax", "masked_logits"), "axis", 1));
    g.addNode(node("Mul", "masked_probabilities", "softmax", m));
    g.addNode(
        OnnxProtos.withIntAttribute(
            node("ReduceSum", "allowed_mass", "masked_probabilities", "action_axis"),
            "keepdims",
            1));
    g.addNode(
        node("Div", PolicyModelContract.PROBABILITIES, "masked_probabilities", "allowed_mass"));
  }
}
