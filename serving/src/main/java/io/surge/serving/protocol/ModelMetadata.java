package io.surge.serving.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Arrays;
import java.util.List;

/**
 * {@code GET /v2/models/{m}[/versions/{v}]}: a model's name, versions, platform and tensors; a
 * variable dimension is -1.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMetadata(
    String name,
    List<String> versions,
    String platform,
    List<TensorSpec> inputs,
    List<TensorSpec> outputs) {

  public ModelMetadata {
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
  }

  /** Name, datatype and shape of an input or output. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record TensorSpec(String name, String datatype, long[] shape) {

    @Override
    public boolean equals(Object o) {
      return o instanceof TensorSpec t
          && name.equals(t.name)
          && datatype.equals(t.datatype)
          && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * name.hashCode() + datatype.hashCode()) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
      return name + ":" + datatype + Arrays.toString(shape);
    }
  }
}
