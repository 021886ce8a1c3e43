package io.surge.serving.engine;

import java.util.List;
import java.util.Map;

/**
 * What a server knows of one model: its protocol metadata plus the batching and parameters of its
 * Triton {@code config.pbtxt}.
 *
 * @param maxBatchSize 0 = the model does not batch; otherwise the first dimension of every input
 *     and output is the batch and metadata shapes start with -1
 * @param parameters the config's {@code parameters} entries, e.g. {@code accuracy}
 */
public record ModelInfo(
    String name,
    String version,
    String platform,
    List<TensorMetadata> inputs,
    List<TensorMetadata> outputs,
    int maxBatchSize,
    Map<String, String> parameters) {

  /** Name, datatype and shape (-1 for a variable dimension) of an input or output. */
  public record TensorMetadata(String name, String datatype, long[] shape) {}
}
