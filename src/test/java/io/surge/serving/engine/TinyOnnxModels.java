package io.surge.serving.engine;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.surge.serving.engine.ModelConfig.TensorConfig;
import io.surge.serving.protocol.Datatype;
import java.util.List;
import java.util.Random;

/**
 * Tiny ONNX graphs for engine tests: {@code logits = Gemm(input, W, B)}, {@code output =
 * Relu(logits)}, with fixed-seed weights; the batch dimension is symbolic or fixed.
 */
final class TinyOnnxModels {

  static final String INPUT = "input";
  static final String LOGITS = "logits";
  static final String OUTPUT = "output";

  private TinyOnnxModels() {}

  /**
   * A Gemm + Relu model of {@code features} inputs and {@code classes} outputs.
   *
   * @param fixedBatch 0 = symbolic batch dimension, otherwise that fixed first dimension
   */
  static byte[] gemmRelu(int features, int classes, long seed, int fixedBatch) {
    Random random = new Random(seed);
    GraphProto graph =
        GraphProto.newBuilder()
            .setName("gemm_relu")
            .addInput(floatValue(INPUT, fixedBatch, features))
            .addInitializer(floatTensor("W", random, features, classes))
            .addInitializer(floatTensor("B", random, classes))
            .addNode(node("Gemm", List.of(INPUT, "W", "B"), LOGITS))
            .addNode(node("Relu", List.of(LOGITS), OUTPUT))
            .addOutput(floatValue(LOGITS, fixedBatch, classes))
            .addOutput(floatValue(OUTPUT, fixedBatch, classes))
            .build();
    return ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("surge-test")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
        .setGraph(graph)
        .build()
        .toByteArray();
  }

  /** The config matching {@link #gemmRelu} with a symbolic batch. */
  static ModelConfig gemmReluConfig(String name, int maxBatchSize, int features, int classes) {
    return ModelConfig.onnx(
        name,
        maxBatchSize,
        List.of(new TensorConfig(INPUT, Datatype.FP32, new long[] {features})),
        List.of(
            new TensorConfig(LOGITS, Datatype.FP32, new long[] {classes}),
            new TensorConfig(OUTPUT, Datatype.FP32, new long[] {classes})));
  }

  /** Fixed-seed input rows. */
  static float[] randomRows(long seed, int rows, int features) {
    Random random = new Random(seed);
    float[] values = new float[rows * features];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  private static NodeProto node(String op, List<String> inputs, String output) {
    return NodeProto.newBuilder()
        .setOpType(op)
        .setName(op.toLowerCase() + "_" + output)
        .addAllInput(inputs)
        .addOutput(output)
        .build();
  }

  private static TensorProto floatTensor(String name, Random random, long... dims) {
    TensorProto.Builder tensor =
        TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
    long count = 1;
    for (long d : dims) {
      tensor.addDims(d);
      count *= d;
    }
    for (long i = 0; i < count; i++) {
      tensor.addFloatData((float) random.nextGaussian());
    }
    return tensor.build();
  }

  private static ValueInfoProto floatValue(String name, int fixedBatch, long width) {
    TensorShapeProto.Dimension batch =
        fixedBatch > 0
            ? TensorShapeProto.Dimension.newBuilder().setDimValue(fixedBatch).build()
            : TensorShapeProto.Dimension.newBuilder().setDimParam("batch").build();
    TensorShapeProto shape =
        TensorShapeProto.newBuilder()
            .addDim(batch)
            .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))
            .build();
    TypeProto type =
        TypeProto.newBuilder()
            .setTensorType(
                TypeProto.Tensor.newBuilder()
                    .setElemType(TensorProto.DataType.FLOAT.getNumber())
                    .setShape(shape))
            .build();
    return ValueInfoProto.newBuilder().setName(name).setType(type).build();
  }
}
