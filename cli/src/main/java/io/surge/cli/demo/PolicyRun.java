package io.surge.cli.demo;

import io.surge.cli.load.LoadCounts;
import io.surge.cli.load.LoadGenerator;
import io.surge.cli.load.LoadOptions;
import io.surge.jobs.config.SurgeOptions;
import io.surge.jobs.kafka.Topics;
import io.surge.jobs.scheduler.KafkaSchedulerJobIo;
import io.surge.jobs.scheduler.SchedulerJob;
import io.surge.jobs.scheduler.SchedulerSettings;
import io.surge.sim.workload.MmppWorkload;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.catalog.Catalog;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;

/**
 * One policy's run on real parts: fresh topics, the scheduling job on a local MiniCluster, a
 * warm-up until the job answers, the measured load for the duration, a drain until every measured
 * request has its result, and the job cancelled. Only measured requests are scored; warm-up
 * requests have a run id of their own.
 */
final class PolicyRun implements AutoCloseable {

  /** Told when the measured load starts and when it (and the drain) ended: the drift scenario. */
  interface MeasureListener {
    void started(Topics topics, Configuration jobConfig);

    void ended();
  }

  /**
   * Warm-up load: 10 s at half the measured workload's mean rate (at least 20/s), then 3 s at its
   * peak rate, then calm again until the warm-up ends (16 s at least). The first policy then meets
   * its first burst as warm as the later ones (JIT, ONNX Runtime, the batching paths at high
   * concurrency), and the estimators and breakers have calmed down before the measurement.
   */
  private String warmupWorkload() {
    double calm = Math.max(20, Math.round(workload.meanRate() / 2));
    double peak =
        workload instanceof MmppWorkload mmpp
            ? Arrays.stream(mmpp.rates()).max().orElse(calm)
            : 2 * workload.meanRate();
    return String.format(
        Locale.ROOT, "flash:base=%.0f,peak=%.0f,every=13,len=3", calm, Math.max(calm + 1, peak));
  }

  /** Warm-up requests answered OK before the measured load starts. */
  private static final int WARMUP_OK = 40;

  /**
   * Shortest warm-up: the first job in the JVM runs colder code (JIT) than later ones, and each
   * policy should start as warm as the others.
   */
  private static final long WARMUP_MIN_NANOS = Duration.ofSeconds(16).toNanos();

  private final String policy;
  private final String bootstrap;
  private final Properties admin;
  private final Catalog catalog;
  private final SchedulerSettings scheduler;
  private final DemoSettings settings;
  private final WorkloadSpec workload;
  private final String tag;
  private final Consumer<String> log;
  private volatile LoadGenerator generator;
  private volatile JobClient job;
  private volatile boolean aborted;
  private Configuration jobConfig;
  private MeasureListener measureListener;

  PolicyRun(
      String policy,
      int index,
      String bootstrap,
      Properties admin,
      SchedulerSettings scheduler,
      DemoSettings settings,
      WorkloadSpec workload,
      Consumer<String> log) {
    this.policy = policy;
    this.bootstrap = bootstrap;
    this.admin = admin;
    this.catalog = scheduler.catalog();
    this.scheduler = scheduler.withInitialPolicy(policy);
    this.settings = settings;
    this.workload = workload;
    this.tag =
        String.format(
            Locale.ROOT,
            "demo-%d-%s-%x",
            index,
            policy.replaceAll("[^A-Za-z0-9]+", "_"),
            System.currentTimeMillis());
    this.log = log;
  }

  /** Tells {@code listener} when the measured load starts and ends. */
  PolicyRun onMeasure(MeasureListener listener) {
    this.measureListener = listener;
    return this;
  }

  /** The prefix of this run's topics (its results are on PREFIX + results). */
  String topicPrefix() {
    return tag + ".";
  }

  PolicyResult run() throws Exception {
    Topics topics = Topics.withPrefix(topicPrefix()).withPartitions(1);
    try (Admin client = Admin.create(admin)) {
      topics.createAll(client);
    }
    Catalog.Service service = catalog.services().get(0);
    try (RunCollector collector =
        new RunCollector(bootstrap, topics.results(), service, tag, tag + "-warmup")) {
      job = startJob(topics);
      warmUp(topics, collector);
      return measure(topics, service, collector);
    } finally {
      cancelJob();
    }
  }

  private JobClient startJob(Topics topics) throws Exception {
    Configuration config = new Configuration();
    config.set(SurgeOptions.BOOTSTRAP_SERVERS, bootstrap);
    config.set(SurgeOptions.TOPIC_PREFIX, topics.prefix());
    config.set(SurgeOptions.GROUP_ID, tag);
    config.set(SurgeOptions.TRANSACTIONAL_ID_PREFIX, tag);
    config.set(SurgeOptions.CHECKPOINT_INTERVAL, settings.checkpointInterval());
    jobConfig = config;
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(SchedulerJob.jobConfiguration(config));
    // one service is one key: more subtasks would only add threads on a small machine
    env.setParallelism(1);
    SchedulerJob.defineWorkflow(env, new KafkaSchedulerJobIo(config), scheduler);
    log.accept("  [" + policy + "] starting the scheduling job on a local Flink MiniCluster");
    return env.executeAsync("surge-demo-" + policy);
  }

  /** Sends light load until the job has answered enough of it OK. */
  private void warmUp(Topics topics, RunCollector collector) throws Exception {
    long start = System.nanoTime();
    LoadOptions options =
        loadOptions(topics, tag + "-warmup").withDuration(settings.warmupTimeout());
    try (Producer<byte[], byte[]> producer =
        LoadGenerator.createProducer(bootstrap, new Properties())) {
      LoadGenerator warmup =
          new LoadGenerator(
              producer,
              catalog,
              WorkloadSpec.parse(warmupWorkload()).newProcess(settings.seed() + 1000),
              options,
              Clock.systemUTC());
      generator = warmup;
      Thread sender = new Thread(warmup::run, "demo-warmup-load");
      sender.setDaemon(true);
      sender.start();
      try {
        awaitWarm(collector, start);
      } finally {
        warmup.stop();
        sender.join(10_000);
      }
    }
    log.accept(
        String.format(
            Locale.ROOT,
            "  [%s] job answers: %d warm-up requests OK after %.1f s",
            policy,
            collector.snapshot().warmupOk(),
            (System.nanoTime() - start) / 1e9));
  }

  private void awaitWarm(RunCollector collector, long start) throws Exception {
    long deadline = start + settings.warmupTimeout().toNanos();
    while (collector.snapshot().warmupOk() < WARMUP_OK
        || System.nanoTime() - start < WARMUP_MIN_NANOS) {
      checkRunning();
      if (System.nanoTime() > deadline) {
        RunCollector.Snapshot s = collector.snapshot();
        throw new DemoException(
            String.format(
                Locale.ROOT,
                "the %s job did not answer within %d s (%d warm-up results, %d OK)",
                policy,
                settings.warmupTimeout().toSeconds(),
                s.warmupResults(),
                s.warmupOk()));
      }
      Thread.sleep(100);
    }
  }

  private void checkRunning() throws Exception {
    if (aborted) {
      throw new DemoException("stopped by a signal (Ctrl-C or SIGTERM)");
    }
    JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
    if (status.isGloballyTerminalState()) {
      throw new DemoException("the " + policy + " job ended early: " + status);
    }
  }

  private PolicyResult measure(Topics topics, Catalog.Service service, RunCollector collector)
      throws Exception {
    long limit = settings.duration().toNanos();
    CountingArrivals arrivals = new CountingArrivals(workload.newProcess(settings.seed()), limit);
    LoadCounts sent;
    log.accept(
        "  ["
            + policy
            + "] driving "
            + workload.toSpec()
            + " for "
            + settings.duration().toSeconds()
            + " s");
    try (Producer<byte[], byte[]> producer =
            LoadGenerator.createProducer(bootstrap, new Properties());
        RunProgress progress =
            new RunProgress(
                policy,
                service,
                arrivals::count,
                collector,
                log,
                settings.progressInterval().toMillis())) {
      LoadGenerator load =
          new LoadGenerator(
              producer,
              catalog,
              arrivals,
              loadOptions(topics, tag).withDuration(settings.duration()),
              Clock.systemUTC());
      generator = load;
      collector.startTimeline(System.currentTimeMillis());
      if (measureListener != null) {
        measureListener.started(topics, jobConfig);
      }
      try {
        sent = load.run();
      } finally {
        if (measureListener != null) {
          measureListener.ended();
        }
      }
      if (aborted) {
        throw new DemoException("stopped by a signal (Ctrl-C or SIGTERM)");
      }
      log.accept("  [" + policy + "] load done; waiting for the last results");
      boolean drained =
          collector.awaitResults(sent.valid() - sent.failed(), settings.drainTimeout());
      progress.print();
      Map.Entry<String, Long> error = collector.commonestError();
      if (error != null) {
        log.accept(
            "  [" + policy + "] commonest error (" + error.getValue() + "x): " + error.getKey());
      }
      return new PolicyResult(
          policy,
          sent,
          collector.snapshot(),
          collector.summary(),
          collector.timeline(),
          drained,
          collector.decisionDelay());
    }
  }

  private LoadOptions loadOptions(Topics topics, String runId) {
    return LoadOptions.to(topics.requests())
        .withRunId(runId)
        .withSeed(settings.seed())
        .withDeadlineMs(settings.deadlineMs())
        .withPayload(settings.payload())
        .withProgress(Duration.ofHours(1), line -> {});
  }

  /** Cancels the job and waits (bounded) until its MiniCluster has let go of it. */
  private void cancelJob() {
    JobClient j = job;
    if (j == null) {
      return;
    }
    job = null;
    try {
      j.cancel().get(30, TimeUnit.SECONDS);
      j.getJobExecutionResult().handle((r, e) -> null).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.accept("  [" + policy + "] could not cancel the job cleanly: " + e);
    }
  }

  /** Stops the load and the job from another thread (Ctrl-C). */
  void abort() {
    aborted = true;
    LoadGenerator g = generator;
    if (g != null) {
      g.stop();
    }
    cancelJob();
  }

  @Override
  public void close() {
    cancelJob();
  }
}
