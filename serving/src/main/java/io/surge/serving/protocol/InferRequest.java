package io.surge.serving.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An inference request: optional id, request parameters (string, number or boolean values), inputs
 * and requested outputs (empty = all outputs).
 */
public record InferRequest(
    String id,
    Map<String, Object> parameters,
    List<InferTensor> inputs,
    List<RequestedOutput> outputs) {

  /** Request parameter: all outputs as binary unless an output says otherwise. */
  public static final String BINARY_DATA_OUTPUT = "binary_data_output";

  /** Request parameter (schedule_policy): queue timeout in microseconds. */
  public static final String TIMEOUT = "timeout";

  /** Request parameter (schedule_policy): priority level, 0 = the model's default. */
  public static final String PRIORITY = "priority";

  public InferRequest {
    parameters = parameters == null ? Map.of() : new LinkedHashMap<>(parameters);
    inputs = List.copyOf(inputs);
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
  }

  /** A request with no id, no parameters, asking for all outputs. */
  public static InferRequest of(List<InferTensor> inputs) {
    return new InferRequest(null, Map.of(), inputs, List.of());
  }

  /** Whether the named output should travel as binary tensor data. */
  public boolean wantsBinary(String outputName) {
    for (RequestedOutput output : outputs) {
      if (output.name().equals(outputName) && output.binaryData() != null) {
        return output.binaryData();
      }
    }
    return Boolean.TRUE.equals(parameters.get(BINARY_DATA_OUTPUT));
  }

  /** Names of the requested outputs, empty for all. */
  public List<String> outputNames() {
    return outputs.stream().map(RequestedOutput::name).toList();
  }

  /** A copy with one request parameter set. */
  public InferRequest withParameter(String key, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(parameters);
    copy.put(key, value);
    return new InferRequest(id, copy, inputs, outputs);
  }
}
