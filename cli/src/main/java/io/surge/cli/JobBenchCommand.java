package io.surge.cli;

import io.surge.cli.bench.JobBenchOptions;
import io.surge.cli.bench.JobBenchReport;
import io.surge.cli.bench.JobThroughputBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.commons.io.FileUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code surge bench job}: the scheduling job's throughput against a pass-through job on the same
 * embedded broker, with zero-compute servers.
 */
@Command(
    name = "job",
    mixinStandardHelpOptions = true,
    description = {
      "Scheduling job throughput: pre-loads requests into an embedded KRaft broker, runs a"
          + " pass-through job (source, validation, keyBy, exactly-once results sink) and the full"
          + " scheduling job against zero-compute embedded servers, and prints committed"
          + " results/s of each and their ratio."
    })
public final class JobBenchCommand implements Callable<Integer> {

  private final JobBenchOptions defaults = JobBenchOptions.defaults();

  @Option(
      names = "--requests",
      description = "requests pre-loaded for each job (default: ${DEFAULT-VALUE})")
  int requests = defaults.requests();

  @Option(names = "--servers", description = "embedded servers (default: ${DEFAULT-VALUE})")
  int servers = defaults.servers();

  @Option(
      names = "--policy",
      description = "scheduling heuristic, e.g. largest, greedy-slo (default: ${DEFAULT-VALUE})")
  String policy = defaults.policy();

  @Option(
      names = "--parallelism",
      description =
          "parallelism of both jobs and partitions of their topics (default: ${DEFAULT-VALUE})")
  int parallelism = defaults.parallelism();

  @Option(
      names = "--invoker-capacity",
      description = "async calls in flight per invoker subtask (default: ${DEFAULT-VALUE})")
  int invokerCapacity = defaults.invokerCapacity();

  @Option(
      names = "--checkpoint-interval-ms",
      description = "checkpoint interval: how often results commit (default: ${DEFAULT-VALUE})")
  long checkpointMs = defaults.checkpointInterval().toMillis();

  @Option(
      names = "--http-threads",
      description =
          "threads completing HTTP calls per invoker, 0 = the clients' own event loops (default:"
              + " ${DEFAULT-VALUE})")
  int httpThreads = defaults.httpThreads();

  @Option(
      names = "--batch",
      description =
          "1: one protocol call per request; more: the invoker's micro-batched calls"
              + " (surge.invoker.micro-batch.max-rows) of up to this many requests (at most the"
              + " models' max batch size, 16) (default: ${DEFAULT-VALUE})")
  int batch = defaults.batch();

  @Option(
      names = "--repeat",
      description =
          "runs of the pair (pass-through, then full job), alternating; the last line gives the"
              + " median ratio (default: ${DEFAULT-VALUE})")
  int repeat = 1;

  @Option(
      names = "--deadline-ms",
      description =
          "deadline of every request: large, nothing should shed (default: ${DEFAULT-VALUE})")
  int deadlineMs = defaults.deadlineMs();

  @Option(
      names = "--timeout-s",
      description =
          "how long each job may take to deliver every result (default: ${DEFAULT-VALUE})")
  long timeoutSeconds = defaults.timeout().toSeconds();

  @Override
  public Integer call() throws Exception {
    JobBenchOptions options;
    try {
      options =
          new JobBenchOptions(
              requests,
              servers,
              policy,
              parallelism,
              invokerCapacity,
              Duration.ofMillis(checkpointMs),
              httpThreads,
              batch,
              deadlineMs,
              Duration.ofSeconds(timeoutSeconds));
    } catch (IllegalArgumentException e) {
      System.err.println("surge bench job: " + e.getMessage());
      return 2;
    }
    if (repeat < 1) {
      System.err.println("surge bench job: --repeat must be at least 1, got " + repeat);
      return 2;
    }
    List<Double> ratios = new ArrayList<>();
    for (int run = 1; run <= repeat; run++) {
      JobBenchReport report = runOnce(options);
      ratios.add(report.ratio());
      if (repeat > 1) {
        System.out.println("run " + run + " of " + repeat + ":");
      }
      System.out.print(report.summary());
      System.out.println();
      System.out.println("```markdown");
      System.out.print(report.markdown());
      System.out.println("```");
    }
    if (repeat > 1) {
      System.out.println(medianLine(ratios));
    }
    return 0;
  }

  /** {@code ratio full/pass-through: X (median of N runs: a, b, c)}. */
  static String medianLine(List<Double> ratios) {
    List<Double> sorted = new ArrayList<>(ratios);
    Collections.sort(sorted);
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    String all =
        ratios.stream()
            .map(r -> String.format(Locale.ROOT, "%.3f", r))
            .collect(Collectors.joining(", "));
    return String.format(
        Locale.ROOT, "ratio full/pass-through: %.3f (median of %d runs: %s)", median, n, all);
  }

  private static JobBenchReport runOnce(JobBenchOptions options) throws Exception {
    Path work = Files.createTempDirectory("surge-bench-job-");
    try {
      return new JobThroughputBenchmark(options, work, line -> System.err.println("bench: " + line))
          .run();
    } finally {
      deleteRecursively(work);
    }
  }

  /** Removes the generated model repository; a leftover file only wastes space. */
  private static void deleteRecursively(Path dir) throws IOException {
    FileUtils.deleteDirectory(dir.toFile());
  }
}
