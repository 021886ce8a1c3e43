package io.surge.serving.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor in protocol form: name, datatype, shape and raw little-endian row-major bytes (the
 * binary tensor data extension's layout, also used in memory for JSON tensors).
 */
public record InferTensor(String name, Datatype datatype, long[] shape, ByteBuffer data) {

  public InferTensor {
    data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Number of elements the shape describes. */
  public long elementCount() {
    return elementCount(shape);
  }

  /** Number of elements of a shape; throws for negative dimensions or overflow. */
  public static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** An FP32 tensor from floats. */
  public static InferTensor fp32(String name, long[] shape, float[] values) {
    ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(values);
    return new InferTensor(name, Datatype.FP32, shape, buf);
  }

  /** The data as floats (FP32 only). */
  public float[] asFloats() {
    if (datatype != Datatype.FP32) {
      throw new IllegalStateException(name + " is " + datatype + ", not FP32");
    }
    float[] out = new float[data.remaining() / 4];
    data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InferTensor t
        && name.equals(t.name)
        && datatype == t.datatype
        && Arrays.equals(shape, t.shape)
        && data.equals(t.data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + datatype.hashCode()) + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + ":" + datatype + Arrays.toString(shape) + "(" + data.remaining() + " bytes)";
  }
}
