package io.surge.serving.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** BYTES tensors: each element a 4-byte little-endian length, then its bytes. */
public final class BytesTensors {

  private BytesTensors() {}

  /** A BYTES tensor of these elements. */
  public static InferTensor of(String name, long[] shape, List<byte[]> elements) {
    int size = 0;
    for (byte[] e : elements) {
      size = Math.addExact(size, 4 + e.length);
    }
    ByteBuffer data = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] e : elements) {
      data.putInt(e.length).put(e);
    }
    return new InferTensor(name, Datatype.BYTES, shape, data.flip());
  }

  /** The elements of a BYTES tensor. */
  public static List<byte[]> elements(InferTensor tensor) {
    if (tensor.datatype() != Datatype.BYTES) {
      throw new IllegalArgumentException(
          tensor.name() + " is " + tensor.datatype() + ", not BYTES");
    }
    TensorLayout.check(
        "tensor '" + tensor.name() + "'", Datatype.BYTES, tensor.shape(), tensor.data());
    ByteBuffer data = tensor.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    List<byte[]> out = new ArrayList<>();
    while (data.hasRemaining()) {
      byte[] e = new byte[data.getInt()];
      data.get(e);
      out.add(e);
    }
    return out;
  }
}
