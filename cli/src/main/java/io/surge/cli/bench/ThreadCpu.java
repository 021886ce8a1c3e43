package io.surge.cli.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * CPU time of this JVM's threads, grouped by what they do (by thread name): where a load point's
 * CPU went. Threads created between two snapshots count from zero.
 */
final class ThreadCpu {

  static final String EXECUTION = "execution";
  static final String SERVER = "server http";
  static final String CLIENT = "client http";
  static final String GRPC = "grpc transport (client + server)";
  static final String OTHER_JAVA = "other java threads";
  static final String OTHER = "GC, JIT and native";

  /** The groups of {@link #servingGroup}, in the order reported. */
  private static final List<String> SERVING_GROUPS =
      List.of(EXECUTION, SERVER, CLIENT, GRPC, OTHER_JAVA);

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Map<Long, Long> cpuById;
  private final Map<Long, String> groupById;

  private ThreadCpu(Map<Long, Long> cpuById, Map<Long, String> groupById) {
    this.cpuById = cpuById;
    this.groupById = groupById;
  }

  static ThreadCpu snapshot() {
    return snapshot(ThreadCpu::servingGroup);
  }

  /** CPU time of every live thread, grouped by {@code grouping} of its name. */
  static ThreadCpu snapshot(UnaryOperator<String> grouping) {
    Map<Long, Long> cpu = new HashMap<>();
    Map<Long, String> group = new HashMap<>();
    long[] ids = THREADS.getAllThreadIds();
    ThreadInfo[] infos = THREADS.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      long nanos = THREADS.getThreadCpuTime(ids[i]);
      if (infos[i] != null && nanos >= 0) {
        cpu.put(ids[i], nanos);
        group.put(ids[i], grouping.apply(infos[i].getThreadName()));
      }
    }
    return new ThreadCpu(cpu, group);
  }

  /**
   * CPU seconds per group between {@code before} and this snapshot, per second of wall time. GC and
   * JIT threads are not Java threads: "other" is the process's CPU time less the Java threads'.
   */
  Map<String, Double> coresSince(ThreadCpu before, long processCpuNanos, double wallSeconds) {
    return coresSince(before, processCpuNanos, wallSeconds, SERVING_GROUPS);
  }

  /** {@link #coresSince(ThreadCpu, long, double)} with the groups of another grouping, in order. */
  Map<String, Double> coresSince(
      ThreadCpu before, long processCpuNanos, double wallSeconds, List<String> groups) {
    Map<String, Double> cores = new LinkedHashMap<>();
    for (String g : groups) {
      cores.put(g, 0.0);
    }
    for (Map.Entry<Long, Long> e : cpuById.entrySet()) {
      long delta = e.getValue() - before.cpuById.getOrDefault(e.getKey(), 0L);
      cores.merge(groupById.get(e.getKey()), delta / 1e9 / wallSeconds, Double::sum);
    }
    double javaThreads = cores.values().stream().mapToDouble(Double::doubleValue).sum();
    cores.put(OTHER, Math.max(0, processCpuNanos / 1e9 / wallSeconds - javaThreads));
    return cores;
  }

  /** What a thread does in the serving benchmarks, by its name. */
  static String servingGroup(String name) {
    if (name.startsWith("surge-engine-execute")) {
      return EXECUTION;
    }
    if (name.startsWith("surge-http")
        || name.startsWith("HTTP-Dispatcher")
        || name.startsWith("surge-engine-complete")) {
      return SERVER;
    }
    if (name.startsWith("HttpClient")
        || name.startsWith("surge-bench")
        || name.startsWith("surge-kserve-http")) {
      return CLIENT;
    }
    if (name.startsWith("grpc-")) {
      // Netty's event loops; a client and a server in one JVM cannot be told apart by name
      return GRPC;
    }
    return OTHER_JAVA;
  }
}
