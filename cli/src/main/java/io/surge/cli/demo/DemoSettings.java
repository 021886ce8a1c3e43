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
 * @param emulated true: the servers are emulated accelerators holding each batch for the profiled
 *     latency of the real models, slowed by {@code emulationScale}; false: ONNX Runtime on the CPU
 * @param emulationScale the slow-down of the emulated devices; 0 = chosen from the profile so that
 *     the calibrated bursts stay well inside what the job carries
 * @param repeat how many times every policy runs (in alternating order, seed + run index)
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
    int profileRuns,
    boolean emulated,
    double emulationScale,
    int repeat) {

  public DemoSettings {
    policies = List.copyOf(policies);
    if (duration == null || duration.toMillis() < 1000) {
      throw new IllegalArgumentException("duration must be at least 1 s, got " + duration);
    }
    if (policies.isEmpty()) {
      throw new IllegalArgumentException("name at least one policy");
    }
    for (String p : policies) {
      if (!p.endsWith(".onnx") && !Policies.isBuiltIn(p) && !LEARNED.equals(p)) {
        throw new IllegalArgumentException(
            "unknown policy '"
                + p
                + "': use one of "
                + Policies.describeNames()
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
    if (!(emulationScale == 0 || (emulationScale > 0 && emulationScale <= 1000))) {
      throw new IllegalArgumentException(
          "emulation scale must be in (0, 1000] (0 = automatic), got " + emulationScale);
    }
    if (repeat < 1 || repeat > 100) {
      throw new IllegalArgumentException("repeat must be in 1..100, got " + repeat);
    }
    if (profileRuns < 1) {
      throw new IllegalArgumentException("profile runs must be >= 1, got " + profileRuns);
    }
  }

  /**
   * 40 s per policy, largest, smallest, greedy-slo and the learned policy, calibrated MMPP, two
   * full-scale emulated servers, 100 ms, one run.
   */
  public static DemoSettings defaults() {
    return new DemoSettings(
        Duration.ofSeconds(40),
        List.of("largest", "smallest", "greedy-slo", LEARNED),
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
        10,
        true,
        0,
        1);
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
        profileRuns,
        emulated,
        emulationScale,
        repeat);
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
        profileRuns,
        emulated,
        emulationScale,
        repeat);
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
        profileRuns,
        emulated,
        emulationScale,
        repeat);
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
        profileRuns,
        emulated,
        emulationScale,
        repeat);
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
        profileRuns,
        emulated,
        emulationScale,
        repeat);
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
        profileRuns,
        emulated,
        emulationScale,
        repeat);
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
        profileRuns,
        emulated,
        emulationScale,
        repeat);
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
        profileRuns,
        emulated,
        emulationScale,
        repeat);
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
        profileRuns,
        emulated,
        emulationScale,
        repeat);
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
        profileRuns,
        emulated,
        emulationScale,
        repeat);
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
        value,
        emulated,
        emulationScale,
        repeat);
  }

  public DemoSettings withEmulated(boolean value) {
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
        profileRuns,
        value,
        emulationScale,
        repeat);
  }

  public DemoSettings withEmulationScale(double value) {
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
        profileRuns,
        emulated,
        value,
        repeat);
  }

  public DemoSettings withRepeat(int value) {
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
        profileRuns,
        emulated,
        emulationScale,
        value);
  }
}
