package io.surge.serving.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Byte-exact size arithmetic of tensors in the binary layout. */
public final class TensorLayout {

  private TensorLayout() {}

  /** Element count of a shape, as a protocol error for negative dimensions or overflow. */
  static long elementCount(String label, long[] shape) {
    try {
      return InferTensor.elementCount(shape);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(label + ": " + e.getMessage());
    } catch (ArithmeticException e) {
      throw new ProtocolException(label + ": shape " + Arrays.toString(shape) + " overflows");
    }
  }

  /**
   * Bytes a fixed-size tensor of this shape takes, or -1 for BYTES (variable); throws when the size
   * cannot be addressed by one buffer.
   */
  static long fixedByteSize(String label, Datatype datatype, long[] shape) {
    long count = elementCount(label, shape);
    if (datatype == Datatype.BYTES) {
      return -1;
    }
    long bytes;
    try {
      bytes = Math.multiplyExact(count, datatype.byteSize());
    } catch (ArithmeticException e) {
      bytes = Long.MAX_VALUE;
    }
    if (bytes > Integer.MAX_VALUE) {
      throw new ProtocolException(
          label + ": shape " + Arrays.toString(shape) + " is too large (" + count + " elements)");
    }
    return bytes;
  }

  /** Checks that {@code data} holds exactly the tensor the shape and datatype describe. */
  public static void check(String label, Datatype datatype, long[] shape, ByteBuffer data) {
    long expected = fixedByteSize(label, datatype, shape);
    if (expected >= 0) {
      if (data.remaining() != expected) {
        throw new ProtocolException(
            label
                + ": "
                + datatype
                + Arrays.toString(shape)
                + " needs "
                + expected
                + " bytes of data but has "
                + data.remaining());
      }
      return;
    }
    checkBytesElements(label, elementCount(label, shape), data);
  }

  /** BYTES: exactly {@code count} elements, each a 4-byte little-endian length then the bytes. */
  private static void checkBytesElements(String label, long count, ByteBuffer data) {
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    long seen = 0;
    while (b.hasRemaining()) {
      if (b.remaining() < 4) {
        throw new ProtocolException(label + ": BYTES element " + seen + " has a truncated length");
      }
      long length = Integer.toUnsignedLong(b.getInt());
      if (length > b.remaining()) {
        throw new ProtocolException(
            label
                + ": BYTES element "
                + seen
                + " claims "
                + length
                + " bytes but only "
                + b.remaining()
                + " remain");
      }
      b.position(b.position() + (int) length);
      seen++;
    }
    if (seen != count) {
      throw new ProtocolException(
          label + ": shape holds " + count + " BYTES elements but the data has " + seen);
    }
  }
}
