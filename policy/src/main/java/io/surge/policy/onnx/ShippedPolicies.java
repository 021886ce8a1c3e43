package io.surge.policy.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The policies shipped with the project (DESIGN.md section 6, {@code deploy/policies/}), by the
 * names users give them: {@code learned} is {@code default.onnx}, the policy the demo and the job
 * run by that name; {@code oracle} is {@code oracle.onnx}, the same learner with privileged
 * features (evaluation in the simulator only). They travel on the classpath (in the job jar), so a
 * job on a cluster finds them without a file system.
 */
public final class ShippedPolicies {

  public static final String LEARNED = "learned";
  public static final String ORACLE = "oracle";

  /** Where the build puts {@code deploy/policies/} on the classpath. */
  public static final String RESOURCE_FOLDER = "surge/policies/";

  private static final Map<String, String> FILES =
      Map.of(LEARNED, "default.onnx", ORACLE, "oracle.onnx");

  private ShippedPolicies() {}

  /** Whether {@code name} names a shipped policy model. */
  public static boolean isShipped(String name) {
    return FILES.containsKey(name);
  }

  /** The file name under {@code deploy/policies/} of a shipped policy. */
  public static String fileName(String name) {
    String file = FILES.get(name);
    if (file == null) {
      throw new IllegalArgumentException(
          "no shipped policy '" + name + "'; shipped: " + String.join(", ", FILES.keySet()));
    }
    return file;
  }

  /** The bytes of a shipped policy model. */
  public static byte[] read(String name) {
    String resource = RESOURCE_FOLDER + fileName(name);
    try (InputStream in = ShippedPolicies.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "shipped policy '" + name + "' (" + resource + ") is not on the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read shipped policy " + resource, e);
    }
  }
}
