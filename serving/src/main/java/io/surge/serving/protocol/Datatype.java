package io.surge.serving.protocol;

/** Tensor element types of the Open Inference Protocol, with their size in bytes. */
public enum Datatype {
  BOOL(1),
  UINT8(1),
  UINT16(2),
  UINT32(4),
  UINT64(8),
  INT8(1),
  INT16(2),
  INT32(4),
  INT64(8),
  FP16(2),
  FP32(4),
  FP64(8),
  /** Variable length: each element is a 4-byte little-endian length then the bytes. */
  BYTES(-1);

  private final int byteSize;

  Datatype(int byteSize) {
    this.byteSize = byteSize;
  }

  /** Bytes per element, or -1 for {@link #BYTES}. */
  public int byteSize() {
    return byteSize;
  }

  /**
   * Parses a protocol datatype name; throws {@link IllegalArgumentException} naming it if unknown.
   */
  public static Datatype parse(String name) {
    try {
      return Datatype.valueOf(name);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("unknown datatype '" + name + "'");
    }
  }
}
