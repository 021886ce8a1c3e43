package io.surge.cli.bench;

import io.surge.cli.demo.EdgeServers;
import io.surge.cli.kafka.EmbeddedKafka;
import io.surge.cli.load.LoadCounts;
import io.surge.cli.load.LoadGenerator;
import io.surge.cli.load.LoadOptions;
import io.surge.cli.results.ResultsCollector;
import io.surge.jobs.config.SurgeOptions;
import io.surge.jobs.kafka.Topics;
import io.surge.jobs.scheduler.KafkaSchedulerJobIo;
import io.surge.jobs.scheduler.SchedulerJob;
import io.surge.jobs.scheduler.SchedulerSettings;
import io.surge.operators.invoke.MicroBatchSettings;
import io.surge.schema.ResultStatus;
import io.surge.serving.ladder.LadderOptions;
import io.surge.sim.workload.ArrivalProcess;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;

/**
 * How much the scheduling job costs over a job that only moves records: both read the same
 * pre-loaded requests from the same embedded KRaft broker and write exactly-once results, one after
 * the other, and each is measured from its first committed result to its last (read_committed).
 *
 * <ol>
 *   <li>pass-through: Kafka source, validation, keyBy(service), a trivial map to a result, the
 *       exactly-once results sink ({@link PassThroughJob});
 *   <li>full: {@link SchedulerJob#defineWorkflow} with {@link KafkaSchedulerJobIo} against embedded
 *       servers of a zero-compute ladder, one protocol call per request.
 * </ol>
 *
 * Deadlines are large so nothing is shed or late for lack of slack: this measures throughput.
 */
public final class JobThroughputBenchmark {

  private static final String PASS_THROUGH = "pass-through";
  private static final Duration TALLY_TIMEOUT = Duration.ofSeconds(60);
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final JobBenchOptions options;
  private final Path workDir;
  private final Consumer<String> progress;

  /**
   * @param workDir where the ladder's model repository is generated
   * @param progress where progress lines go
   */
  public JobThroughputBenchmark(JobBenchOptions options, Path workDir, Consumer<String> progress) {
    this.options = options;
    this.workDir = workDir;
    this.progress = progress;
  }

  /** Starts the broker and servers, pre-loads, runs both jobs, and stops everything. */
  public JobBenchReport run() throws Exception {
    double loadAverage = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    int cores = Runtime.getRuntime().availableProcessors();
    progress.accept("starting a KRaft broker and " + options.servers() + " zero-compute servers");
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        EdgeServers edge =
            EdgeServers.start(
                workDir.resolve("repository"),
                // the servers' queue timeout follows the deadline: nothing is rejected for
                // queueing on a busy machine
                LadderOptions.defaults().withZeroCompute(true).withDeadlineMs(options.deadlineMs()),
                options.servers())) {
      Topics pass = createTopics(kafka, "pass.");
      Topics full = createTopics(kafka, "full.");
      double preloadRate = preload(kafka, edge.catalog(), List.of(pass, full));
      JobRun passRun =
          runJob(
              PASS_THROUGH,
              kafka,
              pass,
              edge.catalog(),
              (env, io) ->
                  PassThroughJob.defineWorkflow(env, io, edge.catalog(), options.deadlineMs()));
      String fullName =
          "full ("
              + options.policy()
              + (options.batch() == 1
                  ? ", 1 call/request)"
                  : ", calls of up to " + options.batch() + " requests)");
      JobRun fullRun =
          runJob(
              fullName,
              kafka,
              full,
              edge.catalog(),
              (env, io) -> SchedulerJob.defineWorkflow(env, io, settings(edge.catalog())));
      return new JobBenchReport(options, preloadRate, loadAverage, cores, passRun, fullRun);
    }
  }

  private Topics createTopics(EmbeddedKafka kafka, String prefix) {
    Topics topics = Topics.withPrefix(prefix).withPartitions(options.parallelism());
    try (Admin admin = Admin.create(kafka.adminProperties())) {
      topics.createAll(admin);
    }
    return topics;
  }

  /** The same requests (ids, services, creation times) into each requests topic, unpaced. */
  private double preload(EmbeddedKafka kafka, Catalog catalog, List<Topics> targets) {
    long sent = 0;
    double seconds = 0;
    for (Topics topics : targets) {
      LoadCounts counts =
          LoadGenerator.run(
              kafka.bootstrapServers(),
              new Properties(),
              catalog,
              new AllAtOnce(),
              LoadOptions.to(topics.requests())
                  .withMaxRequests(options.requests())
                  .withDeadlineMs(options.deadlineMs())
                  .withRunId("bench")
                  .withProgress(Duration.ofSeconds(10), progress));
      if (counts.failed() > 0) {
        throw new IllegalStateException(
            counts.failed() + " requests could not be pre-loaded into " + topics.requests());
      }
      sent += counts.sent();
      seconds += counts.seconds();
    }
    return sent / seconds;
  }

  private JobRun runJob(
      String name,
      EmbeddedKafka kafka,
      Topics topics,
      Catalog catalog,
      BiConsumer<StreamExecutionEnvironment, KafkaSchedulerJobIo> workflow)
      throws Exception {
    progress.accept("running " + name);
    Configuration config = config(kafka, topics, name);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(SchedulerJob.jobConfiguration(config));
    env.setParallelism(options.parallelism());
    workflow.accept(env, new KafkaSchedulerJobIo(config));
    CommittedResults.Throughput rate;
    Map<String, Double> cpu;
    try (CommittedResults committed =
        new CommittedResults(
            kafka.bootstrapServers(),
            topics.results(),
            options.requests(),
            options.checkpointInterval())) {
      ThreadCpu threadsBefore = ThreadCpu.snapshot(JobCpuSplit::group);
      long cpuBefore = OS.getProcessCpuTime();
      long wallBefore = System.nanoTime();
      JobClient job = env.executeAsync("surge-bench-" + topics.prefix());
      try {
        if (!committed.awaitTarget(options.timeout(), () -> hasEnded(job))) {
          throw new IllegalStateException(
              name
                  + ": "
                  + committed.distinct()
                  + " of "
                  + options.requests()
                  + " results within "
                  + options.timeout()
                  + ", job "
                  + job.getJobStatus().get());
        }
        rate = committed.throughput();
        cpu =
            ThreadCpu.snapshot(JobCpuSplit::group)
                .coresSince(
                    threadsBefore,
                    OS.getProcessCpuTime() - cpuBefore,
                    (System.nanoTime() - wallBefore) / 1e9,
                    JobCpuSplit.GROUPS);
      } finally {
        cancel(job);
      }
    }
    return tally(name, kafka, topics, catalog, rate, cpu);
  }

  /** Reads the results topic once more, decoding every result, for the counts and statuses. */
  private JobRun tally(
      String name,
      EmbeddedKafka kafka,
      Topics topics,
      Catalog catalog,
      CommittedResults.Throughput rate,
      Map<String, Double> cpu)
      throws InterruptedException {
    try (ResultsCollector out =
        new ResultsCollector(
            kafka.bootstrapServers(),
            topics.results(),
            topics.deadLetters(),
            catalog.services().get(0))) {
      out.awaitCounts(options.requests(), 0, TALLY_TIMEOUT);
      Map<String, Long> statuses = new LinkedHashMap<>();
      for (ResultStatus status : ResultStatus.values()) {
        long n = out.results(status.name());
        if (n > 0) {
          statuses.put(status.name(), n);
        }
      }
      JobRun run =
          new JobRun(
              name,
              rate.commits(),
              rate.seconds(),
              rate.perSecond(),
              out.results(),
              out.duplicates(),
              statuses,
              out.lastError(),
              cpu);
      progress.accept(
          String.format(
              Locale.ROOT,
              "%s: %.0f results/s, %s%s",
              name,
              rate.perSecond(),
              statuses,
              out.lastError() == null ? "" : "; last error: " + out.lastError()));
      return run;
    }
  }

  private static boolean hasEnded(JobClient job) {
    try {
      JobStatus status = job.getJobStatus().get();
      return status.isGloballyTerminalState();
    } catch (Exception e) {
      return true; // the cluster is gone
    }
  }

  private static void cancel(JobClient job) {
    try {
      if (!hasEnded(job)) {
        job.cancel().get();
      }
    } catch (Exception e) {
      // already ended between the check and the cancel
    }
  }

  /** Job options pointed at the broker; a transactional-id prefix of its own per job. */
  private Configuration config(EmbeddedKafka kafka, Topics topics, String name) {
    String id = "surge-bench-" + topics.prefix().replace(".", "");
    Configuration config = new Configuration();
    config.set(SurgeOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    config.set(SurgeOptions.TOPIC_PREFIX, topics.prefix());
    config.set(SurgeOptions.GROUP_ID, id);
    config.set(SurgeOptions.TRANSACTIONAL_ID_PREFIX, id);
    config.set(SurgeOptions.CHECKPOINT_INTERVAL, options.checkpointInterval());
    config.set(SurgeOptions.INVOKER_CAPACITY, options.invokerCapacity());
    config.set(SurgeOptions.MAX_DEADLINE, Duration.ofMillis(options.deadlineMs()));
    return config;
  }

  private SchedulerSettings settings(Catalog catalog) {
    Configuration config = new Configuration();
    config.set(SurgeOptions.INITIAL_POLICY, options.policy());
    config.set(SurgeOptions.INVOKER_CAPACITY, options.invokerCapacity());
    config.set(SurgeOptions.MAX_PAYLOAD_BYTES, 1 << 20);
    config.set(SurgeOptions.MAX_DEADLINE, Duration.ofMillis(options.deadlineMs()));
    return SchedulerSettings.of(catalog, flatProfile(catalog), config)
        .withCalls(
            BenchInferenceCalls.of(
                catalog,
                options.httpThreads(),
                new MicroBatchSettings(
                    options.batch(), SurgeOptions.MICRO_BATCH_WINDOW.defaultValue())));
  }

  /** Zero-compute models: a flat 0.1 ms on every server at every batch size. */
  static LatencyProfile flatProfile(Catalog catalog) {
    List<LatencyProfile.Entry> entries = new ArrayList<>();
    for (Catalog.Server server : catalog.servers()) {
      for (Catalog.Variant variant : catalog.services().get(0).variants()) {
        for (int batch : new int[] {1, 16}) {
          entries.add(new LatencyProfile.Entry(server.name(), variant.model(), batch, 0.1, 0.2, 1));
        }
      }
    }
    return new LatencyProfile("bench", "zero-compute ladder", entries);
  }

  /** Every arrival due at once: the load generator sends as fast as the producer takes them. */
  private static final class AllAtOnce implements ArrivalProcess {
    @Override
    public double nextArrival() {
      return 0;
    }

    @Override
    public int hiddenState() {
      return 0;
    }

    @Override
    public double hiddenRate() {
      return Double.POSITIVE_INFINITY;
    }

    @Override
    public double meanRate() {
      return Double.POSITIVE_INFINITY;
    }
  }
}
