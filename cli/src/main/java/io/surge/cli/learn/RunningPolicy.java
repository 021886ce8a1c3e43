package io.surge.cli.learn;

import io.surge.cli.publish.PublishedPolicy;
import io.surge.operators.policy.PolicyUpdateCheck;
import io.surge.policy.onnx.PolicyRejectedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which policy the job runs for a service, as the policies topic tells: the newest accepted update
 * of the service's own target, else of every service ({@code *}), the scheduler's precedence
 * (DESIGN.md section 10). The learner follows it, so that its guard compares candidates with what
 * actually runs when someone else publishes (or the job dead-letters what the learner sent).
 */
public final class RunningPolicy {

  private RunningPolicy() {}

  public static Optional<PublishedPolicy> of(List<PublishedPolicy> topic, String service) {
    Optional<PublishedPolicy> own = newest(topic, service);
    return own.isPresent() ? own : newest(topic, PolicyUpdateCheck.ALL_SERVICES);
  }

  private static Optional<PublishedPolicy> newest(List<PublishedPolicy> topic, String target) {
    return topic.stream()
        .filter(p -> p.accepted() && p.target().equals(target))
        .max(Comparator.comparingLong(PublishedPolicy::version));
  }

  /** Writes the update's model (inline or fetched by reference) to {@code dir/running-vN.onnx}. */
  public static Path writeModel(PublishedPolicy policy, Path dir, long maxBytes) {
    try {
      byte[] bytes = PolicyUpdateCheck.modelBytes(policy.update(), maxBytes);
      Path file = dir.resolve("running-v" + policy.version() + ".onnx");
      Files.write(file, bytes);
      return file;
    } catch (PolicyRejectedException e) {
      throw new IllegalStateException(
          "the model of version " + policy.version() + " is gone: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
