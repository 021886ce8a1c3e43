package io.surge.cli;

import io.surge.cli.bench.JobBenchOptions;
import io.surge.cli.bench.JobBenchReport;
import io.surge.cli.bench.JobThroughputBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
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
          "HTTP client threads per invoker, 0 = the JDK's default (default: ${DEFAULT-VALUE})")
  int httpThreads = defaults.httpThreads();

  @Option(
      names = "--batch",
      description =
          "1: one protocol call per request; more: calls batched per model and server, up to"
              + " this many requests (at most the models' max batch size, 16) (default:"
              + " ${DEFAULT-VALUE})")
  int batch = defaults.batch();

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
    Path work = Files.createTempDirectory("surge-bench-job-");
    JobBenchReport report;
    try {
      report =
          new JobThroughputBenchmark(options, work, line -> System.err.println("bench: " + line))
              .run();
    } finally {
      deleteRecursively(work);
    }
    System.out.print(report.summary());
    System.out.println();
    System.out.println("```markdown");
    System.out.print(report.markdown());
    System.out.println("```");
    return 0;
  }

  /** Removes the generated model repository; a leftover file only wastes space. */
  private static void deleteRecursively(Path dir) throws IOException {
    FileUtils.deleteDirectory(dir.toFile());
  }
}
