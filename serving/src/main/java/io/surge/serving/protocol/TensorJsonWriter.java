package io.surge.serving.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes a tensor's data as a flat JSON array. */
final class TensorJsonWriter {

  private TensorJsonWriter() {}

  static void write(JsonGenerator g, InferTensor tensor) throws IOException {
    ByteBuffer data = tensor.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    g.writeStartArray();
    if (tensor.datatype() == Datatype.BYTES) {
      writeBytesElements(g, data);
    } else {
      int size = tensor.datatype().byteSize();
      for (int p = data.position(); p + size <= data.limit(); p += size) {
        writeElement(g, tensor.datatype(), data, p);
      }
    }
    g.writeEndArray();
  }

  private static void writeBytesElements(JsonGenerator g, ByteBuffer data) throws IOException {
    while (data.remaining() >= 4) {
      byte[] element = new byte[data.getInt()];
      data.get(element);
      g.writeString(new String(element, StandardCharsets.UTF_8));
    }
  }

  private static void writeElement(JsonGenerator g, Datatype type, ByteBuffer b, int p)
      throws IOException {
    switch (type) {
      case BOOL -> g.writeBoolean(b.get(p) != 0);
      case UINT8 -> g.writeNumber(b.get(p) & 0xFF);
      case INT8 -> g.writeNumber(b.get(p));
      case UINT16 -> g.writeNumber(b.getShort(p) & 0xFFFF);
      case INT16 -> g.writeNumber(b.getShort(p));
      case UINT32 -> g.writeNumber(Integer.toUnsignedLong(b.getInt(p)));
      case INT32 -> g.writeNumber(b.getInt(p));
      case UINT64 -> writeUnsigned(g, b.getLong(p));
      case INT64 -> g.writeNumber(b.getLong(p));
      case FP32 -> g.writeNumber(b.getFloat(p));
      case FP64 -> g.writeNumber(b.getDouble(p));
      case FP16, BYTES -> throw new IllegalStateException(type + " is not written element-wise");
    }
  }

  private static void writeUnsigned(JsonGenerator g, long value) throws IOException {
    if (value >= 0) {
      g.writeNumber(value);
    } else {
      g.writeNumber(new BigInteger(Long.toUnsignedString(value)));
    }
  }
}
