package io.surge.serving.engine;

import io.surge.serving.engine.ModelConfig.TensorConfig;
import io.surge.serving.engine.ModelExecutor.ExecutionException;
import io.surge.serving.protocol.InferTensor;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks one request against a model's config before it is queued, so a bad request fails alone
 * with 400 instead of failing the batch it would join.
 */
final class RequestValidator {

  private RequestValidator() {}

  /** Validates and returns the request's batch size (1 for a model without batching). */
  static int validate(ModelConfig config, List<InferTensor> inputs, List<String> outputNames) {
    if (inputs == null || inputs.isEmpty()) {
      throw badRequest(config, "request has no inputs; expected " + names(config.inputs()));
    }
    Set<String> seen = new HashSet<>();
    int batch = -1;
    for (InferTensor tensor : inputs) {
      if (tensor == null) {
        throw badRequest(config, "request has a null input");
      }
      TensorConfig expected = config.input(tensor.name());
      if (expected == null) {
        throw badRequest(
            config,
            "unexpected inference input '"
                + tensor.name()
                + "', expected "
                + names(config.inputs()));
      }
      if (!seen.add(tensor.name())) {
        throw badRequest(config, "input '" + tensor.name() + "' given more than once");
      }
      int rows = checkTensor(config, expected, tensor);
      if (batch >= 0 && rows != batch) {
        throw badRequest(
            config,
            "inputs disagree on the batch size: "
                + batch
                + " and "
                + rows
                + " (input '"
                + tensor.name()
                + "')");
      }
      batch = rows;
    }
    if (seen.size() != config.inputs().size()) {
      throw badRequest(
          config,
          "expected "
              + config.inputs().size()
              + " inputs "
              + names(config.inputs())
              + " but got "
              + seen);
    }
    checkOutputs(config, outputNames);
    return batch;
  }

  private static int checkTensor(ModelConfig config, TensorConfig expected, InferTensor tensor) {
    String name = tensor.name();
    if (tensor.datatype() != expected.dataType()) {
      throw badRequest(
          config,
          "input '"
              + name
              + "' has datatype "
              + tensor.datatype()
              + ", expected "
              + expected.dataType());
    }
    long[] shape = tensor.shape();
    long[] dims = expected.dims();
    boolean batched = config.maxBatchSize() > 0;
    int offset = batched ? 1 : 0;
    if (shape.length != dims.length + offset) {
      throw badRequest(
          config,
          "input '"
              + name
              + "' has shape "
              + Arrays.toString(shape)
              + ", expected "
              + expectedShape(dims, batched));
    }
    for (int i = 0; i < dims.length; i++) {
      long d = shape[i + offset];
      if (d < 0 || (dims[i] != -1 && d != dims[i])) {
        throw badRequest(
            config,
            "input '"
                + name
                + "' has shape "
                + Arrays.toString(shape)
                + ", expected "
                + expectedShape(dims, batched));
      }
    }
    int rows = batched ? checkBatchDim(config, name, shape[0]) : 1;
    checkByteLength(config, tensor);
    return rows;
  }

  private static int checkBatchDim(ModelConfig config, String name, long batch) {
    if (batch < 1 || batch > config.maxBatchSize()) {
      throw badRequest(
          config,
          "input '"
              + name
              + "' has batch size "
              + batch
              + ", expected 1 to max_batch_size "
              + config.maxBatchSize());
    }
    return (int) batch;
  }

  private static void checkByteLength(ModelConfig config, InferTensor tensor) {
    long expectedBytes;
    try {
      expectedBytes = Math.multiplyExact(tensor.elementCount(), tensor.datatype().byteSize());
    } catch (ArithmeticException e) {
      throw badRequest(config, "input '" + tensor.name() + "' is too large");
    }
    if (tensor.data().remaining() != expectedBytes) {
      throw badRequest(
          config,
          "input '"
              + tensor.name()
              + "' has "
              + tensor.data().remaining()
              + " bytes of data, expected "
              + expectedBytes
              + " for shape "
              + Arrays.toString(tensor.shape())
              + " of "
              + tensor.datatype());
    }
  }

  private static void checkOutputs(ModelConfig config, List<String> outputNames) {
    if (outputNames == null) {
      return;
    }
    Set<String> seen = new HashSet<>();
    Set<String> known = new HashSet<>();
    config.outputs().forEach(t -> known.add(t.name()));
    for (String output : outputNames) {
      if (!known.contains(output)) {
        throw badRequest(
            config,
            "unexpected inference output '" + output + "', expected " + names(config.outputs()));
      }
      if (!seen.add(output)) {
        throw badRequest(config, "output '" + output + "' requested more than once");
      }
    }
  }

  private static String expectedShape(long[] dims, boolean batched) {
    String inner = Arrays.toString(dims);
    if (!batched) {
      return inner;
    }
    return dims.length == 0 ? "[-1]" : "[-1, " + inner.substring(1);
  }

  private static List<String> names(List<TensorConfig> tensors) {
    return tensors.stream().map(TensorConfig::name).toList();
  }

  private static ExecutionException badRequest(ModelConfig config, String message) {
    return new ExecutionException(400, "model '" + config.name() + "': " + message);
  }
}
