package io.surge.serving.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Turns a tensor's JSON {@code data} (flat or nested) into its little-endian binary layout. */
final class TensorJsonReader {

  private static final BigInteger UINT64_MAX =
      BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private final String label;
  private final Datatype datatype;

  private TensorJsonReader(String label, Datatype datatype) {
    this.label = label;
    this.datatype = datatype;
  }

  /**
   * Reads {@code data}; the element count must equal {@code expectedCount}, checked before any
   * allocation so that a huge shape cannot make us allocate.
   */
  static ByteBuffer read(String label, Datatype datatype, JsonNode data, long expectedCount) {
    if (datatype == Datatype.FP16) {
      throw new ProtocolException(label + ": FP16 has no JSON form, send it as binary data");
    }
    if (!data.isArray()) {
      throw new ProtocolException(label + ": 'data' must be an array");
    }
    long count = countLeaves(data);
    if (count != expectedCount) {
      throw new ProtocolException(
          label + ": shape holds " + expectedCount + " elements but 'data' has " + count);
    }
    return new TensorJsonReader(label, datatype).fill(data, (int) count);
  }

  private static long countLeaves(JsonNode node) {
    if (!node.isArray()) {
      return 1;
    }
    long n = 0;
    for (JsonNode child : node) {
      n += countLeaves(child);
    }
    return n;
  }

  private ByteBuffer fill(JsonNode data, int count) {
    int size =
        datatype == Datatype.BYTES
            ? bytesLayoutSize(data)
            : Math.multiplyExact(count, datatype.byteSize());
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    writeLeaves(data, out, new int[] {0});
    out.flip();
    return out;
  }

  private int bytesLayoutSize(JsonNode node) {
    if (!node.isArray()) {
      return Math.addExact(4, utf8(node, 0).length);
    }
    int total = 0;
    for (JsonNode child : node) {
      total = Math.addExact(total, bytesLayoutSize(child));
    }
    return total;
  }

  private void writeLeaves(JsonNode node, ByteBuffer out, int[] index) {
    if (node.isArray()) {
      for (JsonNode child : node) {
        writeLeaves(child, out, index);
      }
      return;
    }
    writeElement(node, out, index[0]++);
  }

  private void writeElement(JsonNode v, ByteBuffer out, int i) {
    switch (datatype) {
      case BOOL -> out.put((byte) (bool(v, i) ? 1 : 0));
      case UINT8 -> out.put((byte) integer(v, i, 0, 0xFFL));
      case INT8 -> out.put((byte) integer(v, i, Byte.MIN_VALUE, Byte.MAX_VALUE));
      case UINT16 -> out.putShort((short) integer(v, i, 0, 0xFFFFL));
      case INT16 -> out.putShort((short) integer(v, i, Short.MIN_VALUE, Short.MAX_VALUE));
      case UINT32 -> out.putInt((int) integer(v, i, 0, 0xFFFF_FFFFL));
      case INT32 -> out.putInt((int) integer(v, i, Integer.MIN_VALUE, Integer.MAX_VALUE));
      case INT64 -> out.putLong(integer(v, i, Long.MIN_VALUE, Long.MAX_VALUE));
      case UINT64 -> out.putLong(uint64(v, i));
      case FP32 -> out.putFloat((float) real(v, i));
      case FP64 -> out.putDouble(real(v, i));
      case BYTES -> {
        byte[] bytes = utf8(v, i);
        out.putInt(bytes.length).put(bytes);
      }
      case FP16 -> throw new IllegalStateException("FP16 is rejected before filling");
    }
  }

  private boolean bool(JsonNode v, int i) {
    if (!v.isBoolean()) {
      throw invalid(v, i);
    }
    return v.booleanValue();
  }

  private long integer(JsonNode v, int i, long min, long max) {
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw invalid(v, i);
    }
    long value = v.longValue();
    if (value < min || value > max) {
      throw invalid(v, i);
    }
    return value;
  }

  private long uint64(JsonNode v, int i) {
    if (!v.isIntegralNumber()) {
      throw invalid(v, i);
    }
    BigInteger value = v.bigIntegerValue();
    if (value.signum() < 0 || value.compareTo(UINT64_MAX) > 0) {
      throw invalid(v, i);
    }
    return value.longValue();
  }

  private double real(JsonNode v, int i) {
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isTextual()) {
      switch (v.textValue()) {
        case "NaN", "nan":
          return Double.NaN;
        case "Infinity", "inf":
          return Double.POSITIVE_INFINITY;
        case "-Infinity", "-inf":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
    }
    throw invalid(v, i);
  }

  private byte[] utf8(JsonNode v, int i) {
    if (!v.isTextual()) {
      throw invalid(v, i);
    }
    return v.textValue().getBytes(StandardCharsets.UTF_8);
  }

  private ProtocolException invalid(JsonNode v, int i) {
    String shown = v.toString();
    if (shown.length() > 40) {
      shown = shown.substring(0, 40) + "...";
    }
    return new ProtocolException(
        label + ": element " + i + " (" + shown + ") is not a valid " + datatype);
  }
}
