package io.surge.policy;

import static io.surge.train.export.OnnxProtos.floats;
import static io.surge.train.export.OnnxProtos.longs;
import static io.surge.train.export.OnnxProtos.node;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.surge.policy.onnx.PolicyModelContract;
import io.surge.state.ObservationSpec;
import io.surge.train.export.OnnxProtos;
import io.surge.train.export.PolicyModelWriter;
import java.util.List;

/** Policy models for tests: good ones from the writer, broken ones built by hand or mutated. */
final class PolicyModels {

  static final List<String> ACTIONS = List.of("small", "medium", "large");

  private PolicyModels() {}

  /** Zero weights and biases log(p): the model outputs p (renormalised over the mask). */
  static PolicyModelWriter constant(ObservationSpec spec, float... p) {
    float[] bias = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      bias[i] = (float) Math.log(p[i]);
    }
    return PolicyModelWriter.forSpec(spec, ACTIONS)
        .output(new float[spec.dimension() * p.length], bias)
        .version(3)
        .trainedOn("mmpp:rates=50/400,dwell=10/2");
  }

  /**
   * A model that outputs {@code probabilities = const} whatever the mask (it reads both inputs so
   * they stay in the graph), with valid metadata: to test normalisation checks and masking.
   */
  static byte[] ignoringMask(ObservationSpec spec, float... constant) {
    int a = spec.actionCount();
    GraphProto.Builder g =
        GraphProto.newBuilder()
            .setName("raw")
            .addInput(OnnxProtos.batchOfVectors(PolicyModelContract.OBSERVATION, spec.dimension()))
            .addInput(OnnxProtos.batchOfVectors(PolicyModelContract.MASK, a))
            .addOutput(OnnxProtos.batchOfVectors(PolicyModelContract.PROBABILITIES, a))
            .addInitializer(floats("zero", new float[] {0f}))
            .addInitializer(floats("constant", constant, a))
            .addInitializer(longs("axis", new long[] {1}, 1))
            .addNode(node("Mul", "zero_mask", PolicyModelContract.MASK, "zero"))
            .addNode(node("ReduceSum", "obs_sum", PolicyModelContract.OBSERVATION, "axis"))
            .addNode(node("Mul", "zero_obs", "obs_sum", "zero"))
            .addNode(node("Add", "zeros", "zero_mask", "zero_obs"))
            .addNode(node("Add", PolicyModelContract.PROBABILITIES, "zeros", "constant"));
    return withMetadata(g, spec).toByteArray();
  }

  static ModelProto withMetadata(GraphProto.Builder g, ObservationSpec spec) {
    return ModelProto.newBuilder()
        .setIrVersion(OnnxProtos.IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(OnnxProtos.OPSET))
        .setGraph(g)
        .addMetadataProps(entry(PolicyModelContract.SPEC_HASH, spec.hash()))
        .addMetadataProps(entry(PolicyModelContract.ACTIONS, String.join(",", ACTIONS)))
        .addMetadataProps(entry(PolicyModelContract.VERSION, "1"))
        .build();
  }

  static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }

  /** Renames a value (graph input/output and every node reference). */
  static ModelProto rename(ModelProto model, String from, String to) {
    GraphProto.Builder g = model.getGraph().toBuilder();
    for (int i = 0; i < g.getInputCount(); i++) {
      ValueInfoProto in = g.getInput(i);
      if (in.getName().equals(from)) {
        g.setInput(i, in.toBuilder().setName(to));
      }
    }
    for (int i = 0; i < g.getNodeCount(); i++) {
      NodeProto.Builder n = g.getNode(i).toBuilder();
      for (int j = 0; j < n.getInputCount(); j++) {
        if (n.getInput(j).equals(from)) {
          n.setInput(j, to);
        }
      }
      g.setNode(i, n);
    }
    return model.toBuilder().setGraph(g).build();
  }

  /** Drops one metadata key. */
  static ModelProto withoutMetadata(ModelProto model, String key) {
    ModelProto.Builder m = model.toBuilder().clearMetadataProps();
    for (StringStringEntryProto e : model.getMetadataPropsList()) {
      if (!e.getKey().equals(key)) {
        m.addMetadataProps(e);
      }
    }
    return m.build();
  }
}
