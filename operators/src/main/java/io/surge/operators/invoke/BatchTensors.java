package io.surge.operators.invoke;

import io.surge.serving.protocol.Datatype;
import io.surge.serving.protocol.InferTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Joining requests' tensors along the batch dimension, and cutting a batch's outputs back. */
final class BatchTensors {

  private BatchTensors() {}

  /**
   * The tensors as one, rows after rows; null when they cannot be joined: another name, datatype or
   * row shape, or a tensor without a batch dimension.
   */
  static InferTensor concat(List<InferTensor> tensors) {
    InferTensor first = tensors.get(0);
    if (first.shape().length == 0) {
      return null;
    }
    long[] row = Arrays.copyOfRange(first.shape(), 1, first.shape().length);
    long rows = 0;
    int bytes = 0;
    for (InferTensor t : tensors) {
      if (!t.name().equals(first.name())
          || t.datatype() != first.datatype()
          || t.shape().length != first.shape().length
          || !Arrays.equals(Arrays.copyOfRange(t.shape(), 1, t.shape().length), row)) {
        return null;
      }
      rows += t.shape()[0];
      bytes = Math.addExact(bytes, t.data().remaining());
    }
    ByteBuffer joined = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (InferTensor t : tensors) {
      joined.put(t.data().duplicate());
    }
    joined.flip();
    long[] shape = first.shape().clone();
    shape[0] = rows;
    return new InferTensor(first.name(), first.datatype(), shape, joined);
  }

  /** Each tensor's rows: its first dimension. */
  static int[] rows(List<InferTensor> tensors) {
    int[] rows = new int[tensors.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = Math.toIntExact(tensors.get(i).shape()[0]);
    }
    return rows;
  }

  /**
   * Per request, its rows of every output, in the outputs' order.
   *
   * @throws IllegalArgumentException when an output's first dimension is not the rows' sum
   */
  static List<List<InferTensor>> split(List<InferTensor> outputs, int[] rows) {
    long total = 0;
    for (int r : rows) {
      total += r;
    }
    List<List<InferTensor>> perRequest = new ArrayList<>(rows.length);
    for (int i = 0; i < rows.length; i++) {
      perRequest.add(new ArrayList<>(outputs.size()));
    }
    for (InferTensor output : outputs) {
      long[] shape = output.shape();
      if (shape.length == 0 || shape[0] != total) {
        throw new IllegalArgumentException(
            "output '"
                + output.name()
                + "' of a batched call has shape "
                + Arrays.toString(shape)
                + ", expected "
                + total
                + " rows");
      }
      long rowElements = InferTensor.elementCount(Arrays.copyOfRange(shape, 1, shape.length));
      ByteBuffer data = output.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
      int at = data.position();
      for (int i = 0; i < rows.length; i++) {
        int length = partBytes(output.datatype(), data, at, rows[i] * rowElements);
        long[] partShape = shape.clone();
        partShape[0] = rows[i];
        ByteBuffer part = data.slice(at, length).order(ByteOrder.LITTLE_ENDIAN);
        perRequest.get(i).add(new InferTensor(output.name(), output.datatype(), partShape, part));
        at += length;
      }
    }
    return perRequest;
  }

  /** Bytes of {@code elements} elements from {@code at}: fixed-size, or BYTES' length prefixes. */
  private static int partBytes(Datatype datatype, ByteBuffer data, int at, long elements) {
    if (datatype != Datatype.BYTES) {
      return Math.toIntExact(elements * datatype.byteSize());
    }
    int end = at;
    for (long e = 0; e < elements; e++) {
      if (end + 4 > data.limit()) {
        throw new IllegalArgumentException("BYTES output ends inside an element");
      }
      end += 4 + data.getInt(end);
    }
    return end - at;
  }
}
