package io.surge.cli.demo;

import static io.surge.policy.onnx.ShippedPolicies.LEARNED;

import io.surge.policy.baseline.Policies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@code surge demo} runs.
 *
 * @param duration measured load per policy
 * @param policies policies to compare, each a built-in name or a policy ONNX file
 * @param workload a workload spec, or null to calibrate an MMPP from the measured profile
 * @param servers embedded inference servers, each serving the whole ladder
 * @param scale ladder width multiplier (1 = the calibrated ladder)
 * @param out where the report, plots, profile and catalog go
 * @param deadlineMs the latency SLO of every request
 * @param seed seed of the workload and the request payloads
 * @param payload send a random input tensor with each request (else the server makes one up)
 * @param checkpointInterval the job's checkpoint interval (results are visible one checkpoint late)
 * @param warmupTimeout how long the job may take to answer its first requests
 * @param drainTimeout how long to wait for the last results after the load ends
 * @param progressInterval how often a progress line is printed
 * @param profileRuns timed rounds of the latency profile
 */
public record DemoSettings(
    Duration duration,
    List<String> policies,
    String workload,
    int servers,
    double scale,
    Path out,
    int deadlineMs,
    long seed,
    boolean payload,
    Duration checkpointInterval,
    Duration warmupTimeout,
    Duration drainTimeout,
    Duration progressInterval,
    int profileRuns) {

  public DemoSettings {
    policies = List.copyOf(policies);
    if (duration == null || duration.toMillis() < 1000) {
      throw new IllegalArgumentException("duration must be at least 1 s, got " + duration);
    }
    if (policies.isEmpty()) {
      throw new IllegalArgumentException("name at least one policy");
    }
    for (String p : policies) {
      if (!p.endsWith(".onnx") && !Policies.names().contains(p) && !LEARNED.equals(p)) {
        throw new IllegalArgumentException(
            "unknown policy '"
                + p
                + "': use one of "
                + String.join(", ", Policies.names())
                + ", learned (the shipped policy) or a policy .onnx file");
      }
    }
    if (servers < 1 || servers > 16) {
      throw new IllegalArgumentException("servers must be in 1..16, got " + servers);
    }
    if (!(scale > 0 && scale <= 4)) {
      throw new IllegalArgumentException("scale must be in (0, 4], got " + scale);
    }
    if (deadlineMs < 1) {
      throw new IllegalArgumentException("deadline must be positive, got " + deadlineMs + " ms");
    }
    if (out == null) {
      throw new IllegalArgumentException("an output directory is needed");
    }
    if (profileRuns < 1) {
      throw new IllegalArgumentException("profile runs must be >= 1, got " + profileRuns);
    }
  }

  /** 60 s per policy, largest vs greedy-slo, calibrated MMPP, two full-scale servers, 100 ms. */
  public static DemoSettings defaults() {
    return new DemoSettings(
        Duration.ofSeconds(60),
        List.of("largest", "greedy-slo"),
        null,
        2,
        1.0,
        Path.of("out", "demo"),
        100,
        1,
        false,
        Duration.ofSeconds(1),
        Duration.ofSeconds(120),
        Duration.ofSeconds(60),
        Duration.ofSeconds(2),
        10);
  }

  public DemoSettings withDuration(Duration value) {
    return new DemoSettings(
        value,
        policies,
        workload,
        servers,
        scale,
        out,
        deadlineMs,
        seed,
        payload,
        checkpointInterval,
        warmupTimeout,
        drainTimeout,
        progressInterval,
        profileRuns);
  }

  public DemoSettings withPolicies(List<String> value) {
    return new DemoSettings(
        duration,
        value,
        workload,
        servers,
        scale,
        out,
        deadlineMs,
        seed,
        payload,
        checkpointInterval,
        warmupTimeout,
        drainTimeout,
        progressInterval,
        profileRuns);
  }

  public DemoSettings withWorkload(String value) {
    return new DemoSettings(
        duration,
        policies,
        value,
        servers,
        scale,
        out,
        deadlineMs,
        seed,
        payload,
        checkpointInterval,
        warmupTimeout,
        drainTimeout,
        progressInterval,
        profileRuns);
  }

  public DemoSettings withServers(int value) {
    return new DemoSettings(
        duration,
        policies,
        workload,
        value,
        scale,
        out,
        deadlineMs,
        seed,
        payload,
        checkpointInterval,
        warmupTimeout,
        drainTimeout,
        progressInterval,
        profileRuns);
  }

  public DemoSettings withScale(double value) {
    return new DemoSettings(
        duration,
        policies,
        workload,
        servers,
        value,
        out,
        deadlineMs,
        seed,
        payload,
        checkpointInterval,
        warmupTimeout,
        drainTimeout,
        progressInterval,
        profileRuns);
  }

  public DemoSettings withOut(Path value) {
    return new DemoSettings(
        duration,
        policies,
        workload,
        servers,
        scale,
        value,
        deadlineMs,
        seed,
        payload,
        checkpointInterval,
        warmupTimeout,
        drainTimeout,
        progressInterval,
        profileRuns);
  }

  public DemoSettings withDeadlineMs(int value) {
    return new DemoSettings(
        duration,
        policies,
        workload,
        servers,
        scale,
        out,
        value,
        seed,
        payload,
        checkpointInterval,
        warmupTimeout,
        drainTimeout,
        progressInterval,
        profileRuns);
  }

  public DemoSettings withSeed(long value) {
    return new DemoSettings(
        duration,
        policies,
        workload,
        servers,
        scale,
        out,
        deadlineMs,
        value,
        payload,
        checkpointInterval,
        warmupTimeout,
        drainTimeout,
        progressInterval,
        profileRuns);
  }

  public DemoSettings withPayload(boolean value) {
    return new DemoSettings(
        duration,
        policies,
        workload,
        servers,
        scale,
        out,
        deadlineMs,
        seed,
        value,
        checkpointInterval,
        warmupTimeout,
        drainTimeout,
        progressInterval,
        profileRuns);
  }

  public DemoSettings withDrainTimeout(Duration value) {
    return new DemoSettings(
        duration,
        policies,
        workload,
        servers,
        scale,
        out,
        deadlineMs,
        seed,
        payload,
        checkpointInterval,
        warmupTimeout,
        value,
        progressInterval,
        profileRuns);
  }

  public DemoSettings withProfileRuns(int value) {
    return new DemoSettings(
        duration,
        policies,
        workload,
        servers,
        scale,
        out,
        deadlineMs,
        seed,
        payload,
        checkpointInterval,
        warmupTimeout,
        drainTimeout,
        progressInterval,
        value);
  }
}
