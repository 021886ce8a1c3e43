package io.surge.operators.invoke;

import io.surge.schema.Tensor;
import java.util.List;

/**
 * A server's answer to one inference call.
 *
 * @param outputs the model outputs to put on the result, or null to leave them off
 * @param queueMs server-side queue time where the server reports it, else null
 */
public record CallAnswer(List<Tensor> outputs, Double queueMs) {

  public CallAnswer {
    outputs = outputs == null ? null : List.copyOf(outputs);
  }

  /** An answer without outputs or queue time. */
  public static CallAnswer empty() {
    return new CallAnswer(null, null);
  }
}
