package io.surge.serving.protocol;

import java.util.Objects;

/**
 * An output a request asks for.
 *
 * @param binaryData true/false when the request says how this output travels, null to follow the
 *     request's {@code binary_data_output} parameter
 */
public record RequestedOutput(String name, Boolean binaryData) {

  public RequestedOutput {
    Objects.requireNonNull(name, "name");
  }

  /** An output that follows the request-wide setting. */
  public static RequestedOutput of(String name) {
    return new RequestedOutput(name, null);
  }

  /** An output to return as binary tensor data. */
  public static RequestedOutput binary(String name) {
    return new RequestedOutput(name, true);
  }

  /** An output to return as JSON. */
  public static RequestedOutput json(String name) {
    return new RequestedOutput(name, false);
  }
}
