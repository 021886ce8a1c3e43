package io.surge.cli.demo;

import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a demo run produced.
 *
 * @param workloadNote how the workload was chosen (calibration or given)
 * @param report the Markdown report, or null when it was not written
 * @param runs every run (--repeat), each in the settings' policy order; {@code policies} is the
 *     first
 * @param deviceNote what the servers computed on
 * @param simToReal the simulator's figures next to the real job's (Markdown), or null
 */
public record DemoResult(
    DemoSettings settings,
    Catalog catalog,
    LatencyProfile profile,
    WorkloadSpec workload,
    String workloadNote,
    List<PolicyResult> policies,
    Path report,
    List<List<PolicyResult>> runs,
    String deviceNote,
    String simToReal) {

  public DemoResult {
    policies = List.copyOf(policies);
    runs = runs.stream().map(List::copyOf).toList();
  }

  public DemoResult withReport(Path file) {
    return new DemoResult(
        settings,
        catalog,
        profile,
        workload,
        workloadNote,
        policies,
        file,
        runs,
        deviceNote,
        simToReal);
  }
}
