package io.surge.serving.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** {@code GET /v2}: the server's name, version and the protocol extensions it supports. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServerMetadata(String name, String version, List<String> extensions) {

  public static final String BINARY_TENSOR_DATA = "binary_tensor_data";
  public static final String STATISTICS = "statistics";
  public static final String SCHEDULE_POLICY = "schedule_policy";

  public ServerMetadata {
    extensions = extensions == null ? List.of() : List.copyOf(extensions);
  }

  public boolean supports(String extension) {
    return extensions.contains(extension);
  }
}
