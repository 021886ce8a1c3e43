package io.surge.serving.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An inference response: the model, the echoed request id, parameters and outputs. */
public record InferResponse(
    String modelName,
    String modelVersion,
    String id,
    Map<String, Object> parameters,
    List<InferTensor> outputs) {

  public InferResponse {
    parameters = parameters == null ? Map.of() : new LinkedHashMap<>(parameters);
    outputs = List.copyOf(outputs);
  }

  /** The named output, if present. */
  public Optional<InferTensor> output(String name) {
    return outputs.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
