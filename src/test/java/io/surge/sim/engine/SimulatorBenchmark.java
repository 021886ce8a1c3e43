package io.surge.sim.engine;

import io.surge.policy.SchedulingPolicy;
import io.surge.policy.baseline.Policies;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.metrics.Scoreboard;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * Simulated requests per second of wall time on one thread, observation building included, for the
 * built-in heuristics on the shipped calibration. Not a unit test (no {@code Test} suffix):
 *
 * <pre>
 * java -cp "$(cat cp.txt):target/classes:target/test-classes" io.surge.sim.engine.SimulatorBenchmark \
 *     [workload] [simulated seconds] [rounds]
 * </pre>
 */
public final class SimulatorBenchmark {

  private SimulatorBenchmark() {}

  public static void main(String[] args) {
    WorkloadSpec workload =
        WorkloadSpec.parse(args.length > 0 ? args[0] : "mmpp:rates=200/900,dwell=10/5");
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Simulator sim = new Simulator(SimulatorConfig.defaults());
    // CPU time as well: on a shared machine wall time measures the neighbours too
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    System.out.printf(
        Locale.ROOT,
        "workload %s, %.0f simulated s per run, observation D=%d%n",
        workload.toSpec(),
        seconds,
        sim.spec().dimension());
    for (String name : new String[] {"smallest", "largest", "greedy-slo", "threshold"}) {
      SchedulingPolicy policy = Policies.byName(name, sim.topology(), sim.latency());
      sim.run(policy, Scenario.of(workload, seconds / 10, 99)); // warm-up
      for (int round = 0; round < rounds; round++) {
        long start = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        Scoreboard board = sim.run(policy, Scenario.of(workload, seconds, round));
        double wall = (System.nanoTime() - start) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        Scoreboard.Summary s = board.summary();
        System.out.printf(
            Locale.ROOT,
            "%-10s %9d requests in %6.3f s = %9.0f requests/s (%9.0f per CPU-s)  eff.acc %5.2f  SLO %5.1f %%"
                + "  shed %4.1f %%  p99 %6.1f ms  mix %s%n",
            name,
            board.requests(),
            wall,
            board.requests() / wall,
            board.requests() / cpu,
            s.effectiveAccuracy(),
            100 * s.sloAttainment(),
            100 * s.shedRate(),
            s.p99LatencyMs(),
            s.mixText());
      }
    }
  }
}
