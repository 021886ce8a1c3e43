package io.surge.serving.profile;

import io.surge.serving.protocol.Datatype;
import io.surge.serving.protocol.InferRequest;
import io.surge.serving.protocol.InferTensor;
import io.surge.serving.protocol.ModelMetadata;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Requests of random input for a model, shaped by its protocol metadata: the leading variable
 * dimension is the batch, any other variable dimension is 1. Floating-point inputs are uniform in
 * [0, 1) from a fixed seed; other fixed-size types are zeros.
 */
public final class RandomInputs {

  private static final long SEED = 42;

  private RandomInputs() {}

  /** A request of {@code batch} rows for the model {@code metadata} describes. */
  public static InferRequest request(ModelMetadata metadata, int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    if (metadata.inputs().isEmpty()) {
      throw new IllegalArgumentException("model '" + metadata.name() + "' lists no inputs");
    }
    List<InferTensor> inputs = new ArrayList<>();
    for (ModelMetadata.TensorSpec spec : metadata.inputs()) {
      inputs.add(tensor(metadata.name(), spec, batch));
    }
    return InferRequest.of(inputs);
  }

  /** The concrete shape of one input at a batch size. */
  public static long[] shape(String model, ModelMetadata.TensorSpec spec, int batch) {
    long[] shape = spec.shape().clone();
    boolean batches = shape.length > 0 && shape[0] < 0;
    if (!batches && batch > 1) {
      throw new IllegalArgumentException(
          "model '"
              + model
              + "' does not batch (input "
              + spec.name()
              + " has shape "
              + Arrays.toString(spec.shape())
              + "), so it has no batch "
              + batch);
    }
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 0) {
        shape[i] = i == 0 ? batch : 1;
      }
    }
    return shape;
  }

  private static InferTensor tensor(String model, ModelMetadata.TensorSpec spec, int batch) {
    Datatype type = Datatype.parse(spec.datatype());
    if (type == Datatype.BYTES) {
      throw new IllegalArgumentException(
          "model '" + model + "': BYTES input " + spec.name() + " cannot be made up at random");
    }
    long[] shape = shape(model, spec, batch);
    int count = Math.toIntExact(InferTensor.elementCount(shape));
    ByteBuffer data =
        ByteBuffer.allocate(Math.multiplyExact(count, type.byteSize()))
            .order(ByteOrder.LITTLE_ENDIAN);
    SplittableRandom random = new SplittableRandom(SEED);
    if (type == Datatype.FP32) {
      for (int i = 0; i < count; i++) {
        data.putFloat((float) random.nextDouble());
      }
    } else if (type == Datatype.FP64) {
      for (int i = 0; i < count; i++) {
        data.putDouble(random.nextDouble());
      }
    }
    data.rewind();
    return new InferTensor(spec.name(), type, shape, data);
  }
}
