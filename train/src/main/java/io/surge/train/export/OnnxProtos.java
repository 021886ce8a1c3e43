package io.surge.train.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

/** Terse builders for the few ONNX protobuf pieces policy graphs are made of. */
public final class OnnxProtos {

  /** The ONNX operator set the policy graphs are written for. */
  public static final int OPSET = 17;

  /** ONNX IR version matching {@link #OPSET}. */
  public static final int IR_VERSION = 8;

  private OnnxProtos() {}

  /** A float32 input or output of shape [N, width], N symbolic (the batch). */
  public static ValueInfoProto batchOfVectors(String name, long width) {
    TensorShapeProto shape =
        TensorShapeProto.newBuilder()
            .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
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

  /** A float32 constant of the given shape. */
  public static TensorProto floats(String name, float[] values, long... dims) {
    TensorProto.Builder t =
        TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
    for (long d : dims) {
      t.addDims(d);
    }
    for (float v : values) {
      t.addFloatData(v);
    }
    return t.build();
  }

  /** An int64 constant of the given shape. */
  public static TensorProto longs(String name, long[] values, long... dims) {
    TensorProto.Builder t =
        TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber());
    for (long d : dims) {
      t.addDims(d);
    }
    for (long v : values) {
      t.addInt64Data(v);
    }
    return t.build();
  }

  /** A node of the default ONNX domain with one output named like the node. */
  public static NodeProto node(String opType, String output, String... inputs) {
    NodeProto.Builder n =
        NodeProto.newBuilder().setOpType(opType).setName(output).addOutput(output);
    for (String in : inputs) {
      n.addInput(in);
    }
    return n.build();
  }

  public static NodeProto withIntAttribute(NodeProto node, String name, long value) {
    return node.toBuilder()
        .addAttribute(
            AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.INT)
                .setI(value))
        .build();
  }
}
