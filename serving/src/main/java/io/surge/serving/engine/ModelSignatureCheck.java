package io.surge.serving.engine;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.TensorInfo;
import io.surge.serving.engine.ModelConfig.TensorConfig;
import io.surge.serving.protocol.Datatype;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checks at load time that a model's {@code config.pbtxt} matches its ONNX graph: the same input
 * names, config outputs present in the graph, equal datatypes, and dims (or the reshape, which is
 * what the graph sees) that agree (a variable batch dimension first when {@code max_batch_size >
 * 0}).
 */
final class ModelSignatureCheck {

  private final String model;
  private final ModelConfig config;

  private ModelSignatureCheck(String model, ModelConfig config) {
    this.model = model;
    this.config = config;
  }

  static void check(
      ModelConfig config, Map<String, NodeInfo> onnxInputs, Map<String, NodeInfo> onnxOutputs) {
    new ModelSignatureCheck(config.name(), config).run(onnxInputs, onnxOutputs);
  }

  private void run(Map<String, NodeInfo> onnxInputs, Map<String, NodeInfo> onnxOutputs) {
    if (config.inputs().isEmpty() || config.outputs().isEmpty()) {
      throw fail("config.pbtxt must declare at least one input and one output");
    }
    for (String onnxInput : onnxInputs.keySet()) {
      if (config.input(onnxInput) == null) {
        throw fail(
            "the ONNX model has input '" + onnxInput + "' that config.pbtxt does not declare");
      }
    }
    checkAll("input", config.inputs(), onnxInputs, true);
    checkAll("output", config.outputs(), onnxOutputs, false);
  }

  private void checkAll(
      String kind, List<TensorConfig> tensors, Map<String, NodeInfo> onnx, boolean input) {
    for (TensorConfig tensor : tensors) {
      NodeInfo node = onnx.get(tensor.name());
      if (node == null) {
        throw fail(
            "config.pbtxt declares "
                + kind
                + " '"
                + tensor.name()
                + "' but the ONNX model has "
                + kind
                + "s "
                + onnx.keySet());
      }
      if (!(node.getInfo() instanceof TensorInfo info)) {
        throw fail(kind + " '" + tensor.name() + "' is not a tensor in the ONNX model");
      }
      checkType(kind, tensor, info, input);
      checkDims(kind, tensor, info.getShape());
    }
  }

  private void checkType(String kind, TensorConfig tensor, TensorInfo info, boolean input) {
    Datatype onnxType = OrtTypes.datatype(info.onnxType);
    if (onnxType != tensor.dataType()) {
      throw fail(
          kind
              + " '"
              + tensor.name()
              + "' is "
              + TensorConfig.tritonType(tensor.dataType())
              + " in config.pbtxt but "
              + info.onnxType
              + " in the ONNX model");
    }
    if (input && OrtTypes.inputType(onnxType) == null) {
      throw fail(
          "input '"
              + tensor.name()
              + "' has datatype "
              + onnxType
              + ", which the embedded server cannot feed to ONNX Runtime");
    }
    if (!input && onnxType == Datatype.BYTES) {
      throw fail(
          "output '"
              + tensor.name()
              + "' is a string tensor, which the embedded server cannot return");
    }
  }

  /** The graph takes or produces the model-side shape: the reshape where the config gives one. */
  private void checkDims(String kind, TensorConfig tensor, long[] onnxShape) {
    long[] dims = tensor.modelDims();
    String what = tensor.hasReshape() ? "reshape " : "dims ";
    int offset = config.maxBatchSize() > 0 ? 1 : 0;
    if (onnxShape.length != dims.length + offset) {
      throw fail(
          kind
              + " '"
              + tensor.name()
              + "' has "
              + what
              + Arrays.toString(dims)
              + (offset == 1 ? " plus a batch dimension" : "")
              + " in config.pbtxt but shape "
              + Arrays.toString(onnxShape)
              + " in the ONNX model");
    }
    if (offset == 1 && onnxShape[0] >= 0) {
      throw fail(
          kind
              + " '"
              + tensor.name()
              + "' has a fixed first dimension "
              + onnxShape[0]
              + " in the ONNX model, so it cannot batch (max_batch_size "
              + config.maxBatchSize()
              + ")");
    }
    for (int i = 0; i < dims.length; i++) {
      long onnxDim = onnxShape[i + offset];
      if (onnxDim >= 0 && onnxDim != dims[i]) {
        throw fail(
            kind
                + " '"
                + tensor.name()
                + "' has "
                + what
                + Arrays.toString(dims)
                + " in config.pbtxt but shape "
                + Arrays.toString(onnxShape)
                + " in the ONNX model");
      }
    }
  }

  private ModelRepositoryException fail(String message) {
    return new ModelRepositoryException("model '" + model + "': " + message);
  }
}
