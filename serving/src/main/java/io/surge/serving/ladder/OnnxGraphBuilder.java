package io.surge.serving.ladder;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SortedMap;

/**
 * A thin layer over the ONNX protobuf builders: nodes, FP32 initializers stored as raw
 * little-endian data, and inputs/outputs whose first dimension is the symbolic {@code batch}.
 */
final class OnnxGraphBuilder {

  /** IR version 8 and opset 17: both well inside what ONNX Runtime 1.29 and Triton's ORT read. */
  static final long IR_VERSION = 8;

  static final long OPSET = 17;
  static final String BATCH_DIM = "batch";

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private int nodeCount;

  OnnxGraphBuilder(String graphName) {
    graph.setName(graphName);
  }

  /** Declares a batched FP32 graph input of per-request shape {@code dims}. */
  OnnxGraphBuilder input(String name, List<Long> dims) {
    graph.addInput(batchedFloat(name, dims));
    return this;
  }

  /** Declares a batched FP32 graph output of per-request shape {@code dims}. */
  OnnxGraphBuilder output(String name, List<Long> dims) {
    graph.addOutput(batchedFloat(name, dims));
    return this;
  }

  /** Adds an FP32 initializer with raw little-endian data. */
  OnnxGraphBuilder floatInitializer(String name, long[] dims, float[] values) {
    ByteBuffer bytes =
        ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    TensorProto.Builder tensor =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.FLOAT.getNumber())
            .setRawData(ByteString.copyFrom(bytes.array()));
    for (long d : dims) {
      tensor.addDims(d);
    }
    graph.addInitializer(tensor);
    return this;
  }

  /** Adds an INT64 initializer (shapes, axes, slice bounds). */
  OnnxGraphBuilder longInitializer(String name, long[] values) {
    ByteBuffer bytes =
        ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asLongBuffer().put(values);
    graph.addInitializer(
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.INT64.getNumber())
            .addDims(values.length)
            .setRawData(ByteString.copyFrom(bytes.array())));
    return this;
  }

  /** Adds a node with a generated unique name; returns the builder for chaining. */
  OnnxGraphBuilder node(
      String opType, List<String> inputs, String output, List<AttributeProto> attributes) {
    graph.addNode(
        NodeProto.newBuilder()
            .setName(opType.toLowerCase() + "_" + nodeCount++)
            .setOpType(opType)
            .addAllInput(inputs)
            .addOutput(output)
            .addAllAttribute(attributes));
    return this;
  }

  static AttributeProto intAttribute(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  static AttributeProto intsAttribute(String name, long... values) {
    AttributeProto.Builder attribute =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      attribute.addInts(v);
    }
    return attribute.build();
  }

  /** The finished model, with the given metadata entries (sorted by key, for stable bytes). */
  ModelProto build(String docString, SortedMap<String, String> metadata) {
    ModelProto.Builder model =
        ModelProto.newBuilder()
            .setIrVersion(IR_VERSION)
            .setProducerName("surge-model-ladder")
            .setProducerVersion("1")
            .setDocString(docString)
            .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
            .setGraph(graph);
    metadata.forEach(
        (key, value) ->
            model.addMetadataProps(
                StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
    return model.build();
  }

  private static ValueInfoProto batchedFloat(String name, List<Long> dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH_DIM));
    for (long d : dims) {
      shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
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
