package io.surge.serving.server;

import io.surge.serving.engine.ModelInfo;
import io.surge.serving.engine.ModelInfo.TensorMetadata;
import io.surge.serving.protocol.InferRequest;
import io.surge.serving.protocol.InferTensor;
import io.surge.serving.protocol.ProtocolException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks a decoded request against the model's metadata before it reaches the executor, so that
 * every executor gets only well-formed requests and clients get Triton's 400 messages.
 */
final class RequestValidator {

  private RequestValidator() {}

  static void validate(ModelInfo model, InferRequest request) {
    Set<String> seen = new HashSet<>();
    long batch = -1;
    for (InferTensor input : request.inputs()) {
      if (!seen.add(input.name())) {
        throw new ProtocolException("input '" + input.name() + "' is given more than once");
      }
      TensorMetadata spec = find(model, input.name());
      checkDatatype(input, spec);
      checkShape(model, input, spec);
      batch = checkSameBatch(model, input, batch);
    }
    for (TensorMetadata spec : model.inputs()) {
      if (!seen.contains(spec.name())) {
        throw new ProtocolException(
            "input '" + spec.name() + "' for model '" + model.name() + "' is missing");
      }
    }
    for (String output : request.outputNames()) {
      if (model.outputs().stream().noneMatch(o -> o.name().equals(output))) {
        throw new ProtocolException(
            "unexpected inference output '" + output + "' for model '" + model.name() + "'");
      }
    }
  }

  private static TensorMetadata find(ModelInfo model, String name) {
    return model.inputs().stream()
        .filter(i -> i.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new ProtocolException(
                    "unexpected inference input '" + name + "' for model '" + model.name() + "'"));
  }

  private static void checkDatatype(InferTensor input, TensorMetadata spec) {
    if (!input.datatype().name().equals(spec.datatype())) {
      throw new ProtocolException(
          "input '"
              + input.name()
              + "': expected datatype "
              + spec.datatype()
              + ", got "
              + input.datatype());
    }
  }

  private static void checkShape(ModelInfo model, InferTensor input, TensorMetadata spec) {
    long[] shape = input.shape();
    long[] expected = spec.shape();
    boolean fits = shape.length == expected.length;
    for (int i = 0; fits && i < shape.length; i++) {
      fits = expected[i] < 0 || expected[i] == shape[i];
    }
    if (!fits) {
      throw new ProtocolException(
          "input '"
              + input.name()
              + "': unexpected shape "
              + Arrays.toString(shape)
              + ", model '"
              + model.name()
              + "' expects "
              + Arrays.toString(expected));
    }
  }

  /** With batching, the first dimension is the batch: 1..max_batch_size and equal across inputs. */
  private static long checkSameBatch(ModelInfo model, InferTensor input, long batch) {
    if (model.maxBatchSize() <= 0 || input.shape().length == 0) {
      return batch;
    }
    long size = input.shape()[0];
    if (size < 1 || size > model.maxBatchSize()) {
      throw new ProtocolException(
          "input '"
              + input.name()
              + "': batch size "
              + size
              + " is outside 1.."
              + model.maxBatchSize()
              + " for model '"
              + model.name()
              + "'");
    }
    if (batch >= 0 && size != batch) {
      throw new ProtocolException(
          "input '" + input.name() + "': batch size " + size + " differs from the other inputs");
    }
    return size;
  }
}
