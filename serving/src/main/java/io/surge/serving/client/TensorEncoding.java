package io.surge.serving.client;

/** How input and output tensors travel in an infer call. */
public enum TensorEncoding {
  /** Data as JSON arrays (FP16 still travels as binary: it has no JSON form). */
  JSON,
  /**
   * The binary tensor data extension, when the server lists {@code binary_tensor_data}; JSON
   * otherwise.
   */
  BINARY
}
