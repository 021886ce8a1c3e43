package io.surge.cli.bench;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The figures of one benchmark run.
 *
 * @param options what ran
 * @param preloadPerSecond how fast the requests were produced (both topics)
 * @param loadAverage the machine's one-minute load average at the start (a shared machine)
 * @param cores processors available to the JVM
 */
public record JobBenchReport(
    JobBenchOptions options,
    double preloadPerSecond,
    double loadAverage,
    int cores,
    JobRun passThrough,
    JobRun full) {

  /** Full job rate over pass-through rate: the cost of scheduling and calling the servers. */
  public double ratio() {
    return full.perSecond() / passThrough.perSecond();
  }

  /** A few lines for a terminal. */
  public String summary() {
    return String.format(
        Locale.ROOT,
        "load: %d requests pre-loaded at %.0f req/s; %d cores, load average %.2f%n"
            + "pass-through: %s%n"
            + "full job:     %s%n"
            + "ratio full/pass-through: %.3f%n",
        options.requests(),
        preloadPerSecond,
        cores,
        loadAverage,
        line(passThrough),
        line(full),
        ratio());
  }

  private static String line(JobRun run) {
    return String.format(
        Locale.ROOT,
        "%.0f results/s (%d results, %d commits, %.2f s from first to last commit, %d"
            + " duplicates; %s)%n              CPU cores: %s",
        run.perSecond(),
        run.results(),
        run.commits(),
        run.seconds(),
        run.duplicates(),
        statuses(run),
        cpu(run));
  }

  /** {@code broker 0.31, job 0.92, ...}: cores per component while the job ran. */
  private static String cpu(JobRun run) {
    if (run.cpuCores().isEmpty()) {
      return "not measured";
    }
    double total = run.cpuCores().values().stream().mapToDouble(Double::doubleValue).sum();
    return run.cpuCores().entrySet().stream()
            .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
            .collect(Collectors.joining(", "))
        + String.format(Locale.ROOT, " (total %.2f)", total);
  }

  private static String statuses(JobRun run) {
    return run.statuses().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
  }

  /** A markdown block for docs/BENCHMARKS.md. */
  public String markdown() {
    JobBenchOptions o = options;
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "Load: %d requests pre-loaded into the requests topic (null payloads, deadline %d ms),"
                + " %d zero-compute servers, policy `%s`, parallelism %d, invoker capacity %d,"
                + " checkpoint interval %d ms, HTTP client threads %s, %s; %d cores, load average"
                + " %.2f at the start.%n%n",
            o.requests(),
            o.deadlineMs(),
            o.servers(),
            o.policy(),
            o.parallelism(),
            o.invokerCapacity(),
            o.checkpointInterval().toMillis(),
            o.httpThreads() == 0 ? "none (event loops)" : String.valueOf(o.httpThreads()),
            o.batch() == 1
                ? "one protocol call per request"
                : "calls batched per model and server, up to " + o.batch() + " requests",
            cores,
            loadAverage));
    md.append(
        "| job | results | duplicates | statuses | commits | first to last commit (s) |"
            + " results/s |\n");
    md.append("|---|---:|---:|---|---:|---:|---:|\n");
    md.append(row(passThrough)).append(row(full));
    md.append(
        "\nCPU cores by component from each job's submission to its last result (one JVM;"
            + " requests were pre-loaded, so the load generator is idle):\n\n");
    md.append("| job | CPU cores |\n|---|---|\n");
    md.append("| ")
        .append(passThrough.name())
        .append(" | ")
        .append(cpu(passThrough))
        .append(" |\n");
    md.append("| ").append(full.name()).append(" | ").append(cpu(full)).append(" |\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%nRatio full / pass-through: **%.3f** (%s).%n",
            ratio(),
            o.batch() == 1
                ? "one protocol call per request"
                : "batched calls of up to " + o.batch()));
    return md.toString();
  }

  private static String row(JobRun run) {
    return String.format(
        Locale.ROOT,
        "| %s | %d | %d | %s | %d | %.2f | %.0f |%n",
        run.name(),
        run.results(),
        run.duplicates(),
        statuses(run),
        run.commits(),
        run.seconds(),
        run.perSecond());
  }
}
