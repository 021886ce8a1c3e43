package io.surge.train.export;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.surge.policy.onnx.PolicyModelContract;
import io.surge.train.nn.Mlp;
import io.surge.train.nn.Normalisation;
import io.surge.train.ppo.ActorCritic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Reads back what {@link PolicyModelWriter} wrote: the normalisation, the actor's layers and the
 * metadata of a policy model, so that the online trainer can fine-tune the running policy instead
 * of starting from scratch. Only models of that writer's shape are read (the initializer names it
 * gives); anything else is refused with the reason.
 *
 * <pre>{@code
 * PolicyModelReader.Actor running = PolicyModelReader.read(Path.of("running.onnx"));
 * trainer.startFrom(running.parameters(), running.normalisation());
 * }</pre>
 */
public final class PolicyModelReader {

  private PolicyModelReader() {}

  /**
   * A policy model's actor.
   *
   * @param hiddenSizes widths of the hidden layers, input to output
   * @param parameters the actor's parameters in {@link Mlp}'s layout, widened to double
   * @param normalisation the model's first layer
   * @param metadata the model's metadata ({@code surge.*} keys among them)
   */
  public record Actor(
      int observationSize,
      int actionCount,
      int[] hiddenSizes,
      double[] parameters,
      Normalisation normalisation,
      Map<String, String> metadata) {

    public String specHash() {
      return metadata.get(PolicyModelContract.SPEC_HASH);
    }

    /** Networks with this actor (and a fresh critic of the same widths, seeded by {@code seed}). */
    public ActorCritic toNetworks(long seed) {
      ActorCritic networks =
          new ActorCritic(observationSize, actionCount, hiddenSizes, new SplittableRandom(seed));
      networks.loadActor(parameters, normalisation);
      return networks;
    }
  }

  public static Actor read(Path file) {
    try {
      return read(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read policy model " + file, e);
    }
  }

  /**
   * @throws IllegalArgumentException when the bytes are not a policy model of the writer's shape
   */
  public static Actor read(byte[] model) {
    ModelProto proto;
    try {
      proto = ModelProto.parseFrom(model);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
    }
    Map<String, TensorProto> tensors = new HashMap<>();
    for (TensorProto t : proto.getGraph().getInitializerList()) {
      tensors.put(t.getName(), t);
    }
    float[] mean = values(tensors, "norm_mean");
    float[] std = values(tensors, "norm_std");
    double clip =
        tensors.containsKey("clip_max") ? values(tensors, "clip_max")[0] : Double.POSITIVE_INFINITY;
    List<float[]> weights = new ArrayList<>();
    List<float[]> biases = new ArrayList<>();
    List<Integer> widths = new ArrayList<>();
    for (int l = 0; tensors.containsKey("layer" + l + "_w"); l++) {
      TensorProto w = tensors.get("layer" + l + "_w");
      if (w.getDimsCount() != 2) {
        throw new IllegalArgumentException("layer " + l + " weights are not a matrix");
      }
      weights.add(values(tensors, "layer" + l + "_w"));
      biases.add(values(tensors, "layer" + l + "_b"));
      widths.add((int) w.getDims(1));
    }
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("no layers: not a model written by PolicyModelWriter");
    }
    int[] sizes = new int[widths.size() + 1];
    sizes[0] = mean.length;
    for (int i = 0; i < widths.size(); i++) {
      sizes[i + 1] = widths.get(i);
    }
    Mlp mlp = new Mlp(sizes);
    double[] parameters = mlp.newParameters();
    for (int l = 0; l < mlp.layers(); l++) {
      copy(weights.get(l), parameters, mlp.weightOffset(l), mlp.layerInput(l) * mlp.layerOutput(l));
      copy(biases.get(l), parameters, mlp.biasOffset(l), mlp.layerOutput(l));
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (StringStringEntryProto e : proto.getMetadataPropsList()) {
      metadata.put(e.getKey(), e.getValue());
    }
    return new Actor(
        sizes[0],
        sizes[sizes.length - 1],
        Arrays.copyOfRange(sizes, 1, sizes.length - 1),
        parameters,
        Normalisation.of(widen(mean), widen(std), clip),
        metadata);
  }

  private static float[] values(Map<String, TensorProto> tensors, String name) {
    TensorProto t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("the model has no initializer " + name);
    }
    if (t.getFloatDataCount() > 0) {
      float[] out = new float[t.getFloatDataCount()];
      for (int i = 0; i < out.length; i++) {
        out[i] = t.getFloatData(i);
      }
      return out;
    }
    // raw little-endian float32, as other tools (and ONNX optimisers) store initializers
    FloatBuffer raw =
        t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] out = new float[raw.remaining()];
    raw.get(out);
    return out;
  }

  private static void copy(float[] from, double[] into, int offset, int length) {
    if (from.length != length) {
      throw new IllegalArgumentException(
          "a layer of " + from.length + " values where " + length + " fit the layer sizes");
    }
    for (int i = 0; i < length; i++) {
      into[offset + i] = from[i];
    }
  }

  private static double[] widen(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
