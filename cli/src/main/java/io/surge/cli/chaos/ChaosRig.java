package io.surge.cli.chaos;

import io.surge.cli.cluster.FlinkRest;
import io.surge.cli.demo.EdgeServers;
import io.surge.cli.kafka.EmbeddedKafka;
import io.surge.jobs.config.SurgeOptions;
import io.surge.jobs.kafka.Topics;
import io.surge.jobs.scheduler.KafkaSchedulerJobIo;
import io.surge.jobs.scheduler.SchedulerJob;
import io.surge.jobs.scheduler.SchedulerSettings;
import io.surge.serving.ladder.LadderOptions;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.producer.Producer;

/**
 * The real parts a scenario runs against, started as the demo and the end-to-end tests start them:
 * an in-process KRaft broker, two embedded inference servers on a generated ladder, the job's
 * topics, and the scheduling job (its own configuration, restart strategy included) on a Flink
 * MiniCluster this class owns, so that it can tell whether the job ever restarted.
 */
final class ChaosRig implements AutoCloseable {

  /** Deadline of valid requests: generous, the scenarios check counts, not timing. */
  static final int DEADLINE_MS = 8_000;

  private static final int PARALLELISM = 2;

  final EmbeddedKafka kafka;
  final EdgeServers edge;
  final Topics topics;
  private final String tag;
  private final Consumer<String> log;
  private MiniCluster flink;
  private JobID job;

  /** The servers every scenario uses unless it needs others: two on a generated ladder. */
  static EdgeServers defaultServers(Path repository) {
    return EdgeServers.start(repository, LadderOptions.defaults().withScale(0.05), 2);
  }

  /** Starts a rig's inference servers on a model repository folder. */
  @FunctionalInterface
  interface ServersStarter {
    EdgeServers start(Path repository);
  }

  ChaosRig(Path dir, String tag, Consumer<String> log) throws Exception {
    this(dir, tag, log, ChaosRig::defaultServers);
  }

  /** A rig whose inference servers {@code servers} starts (e.g. emulated, with faults). */
  ChaosRig(Path dir, String tag, Consumer<String> log, ServersStarter servers) throws Exception {
    this(dir, tag, log, servers, EmbeddedKafka::start);
  }

  /** A rig on the broker {@code broker} starts (e.g. one with SASL_SSL only). */
  ChaosRig(
      Path dir,
      String tag,
      Consumer<String> log,
      ServersStarter servers,
      Supplier<EmbeddedKafka> broker)
      throws Exception {
    this.tag = tag;
    this.log = log;
    long start = System.nanoTime();
    EmbeddedKafka k = broker.get();
    EdgeServers e;
    try {
      e = servers.start(dir.resolve("repository"));
    } catch (RuntimeException ex) {
      k.close();
      throw ex;
    }
    this.kafka = k;
    this.edge = e;
    this.topics = Topics.withPrefix(tag + ".").withPartitions(PARALLELISM);
    try (Admin admin = Admin.create(kafka.adminProperties())) {
      topics.createAll(admin);
    }
    log.accept(
        String.format(
            "  started a KRaft broker (%s), %d inference servers, topics %s* in %.1f s",
            kafka.bootstrapServers(),
            edge.servers().size(),
            topics.prefix(),
            (System.nanoTime() - start) / 1e9));
  }

  Catalog catalog() {
    return edge.catalog();
  }

  Catalog.Service service() {
    return catalog().services().get(0);
  }

  /**
   * How many transactional ids of the job the broker holds (each keeps a {@code
   * TransactionMetadata} until {@code transactional.id.expiration.ms}, 7 days by default).
   */
  int transactionalIds() throws Exception {
    try (Admin admin = Admin.create(kafka.adminProperties())) {
      return (int)
          admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
              .filter(t -> t.transactionalId().startsWith(tag + "-"))
              .count();
    }
  }

  /**
   * The broker's finalized {@code transaction.version} (2 on a new Kafka 4.x cluster: every commit
   * or abort bumps the producer epoch, KIP-890), or -1 when it has none.
   */
  int transactionVersion() throws Exception {
    try (Admin admin = Admin.create(kafka.adminProperties())) {
      FinalizedVersionRange v =
          admin
              .describeFeatures()
              .featureMetadata()
              .get(30, TimeUnit.SECONDS)
              .finalizedFeatures()
              .get("transaction.version");
      return v == null ? -1 : v.maxVersionLevel();
    }
  }

  /** A {@code read_committed} tally of the rig's results and dead letters. */
  ChaosTally tally() {
    return tally(new Properties());
  }

  /** {@link #tally()} with client settings (e.g. SASL_SSL). */
  ChaosTally tally(Properties clientProperties) {
    return new ChaosTally(
        kafka.bootstrapServers(), clientProperties, topics.results(), topics.deadLetters());
  }

  /** A producer to the rig's broker. */
  Producer<byte[], byte[]> producer() {
    return ChaosLoad.producer(kafka.bootstrapServers(), new Properties());
  }

  /**
   * Requests for the rig's service on its requests topic, their ids starting with {@code idPrefix}.
   */
  ChaosLoad load(String idPrefix) {
    return new ChaosLoad(topics.requests(), service().name(), idPrefix);
  }

  /** For {@link ChaosTally#await}: gives up once the job restarted or failed (or is unreadable). */
  BooleanSupplier jobUnhealthy() {
    return () -> {
      try {
        return !health().healthy();
      } catch (Exception e) {
        return true;
      }
    };
  }

  /**
   * Waits a few checkpoint intervals after every expected output arrived: whatever a scenario
   * counts next must not grow by a duplicate or an extra record committed late.
   */
  static void awaitFewMoreCheckpoints() throws InterruptedException {
    Thread.sleep(3_000);
  }

  /** The job's options as a user sets them, pointed at the embedded broker. */
  Configuration jobOptions() {
    Configuration config = new Configuration();
    config.set(SurgeOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    config.set(SurgeOptions.TOPIC_PREFIX, topics.prefix());
    config.set(SurgeOptions.GROUP_ID, tag);
    config.set(SurgeOptions.TRANSACTIONAL_ID_PREFIX, tag);
    config.set(SurgeOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
    config.set(SurgeOptions.INITIAL_POLICY, "greedy-slo");
    config.set(SurgeOptions.INVOKER_CAPACITY, 64);
    return config;
  }

  /**
   * Starts the scheduling job with {@code options} (see {@link #jobOptions()}) on a fresh
   * MiniCluster and waits until every task runs.
   */
  void startJob(Configuration options) throws Exception {
    flink =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(PARALLELISM)
                .build());
    flink.start();
    submit(options, null);
    log.accept(
        "  the scheduling job runs on a Flink MiniCluster (parallelism " + PARALLELISM + ")");
  }

  /** The running job's id. */
  String jobId() {
    return job.toHexString();
  }

  /** The MiniCluster's REST API (checkpoint statistics, metrics). */
  FlinkRest rest() throws Exception {
    return new FlinkRest(flink.getRestAddress().get(10, TimeUnit.SECONDS));
  }

  /**
   * Stops the running job with a savepoint in {@code directory}, without draining (what an upgrade
   * does: no end-of-time watermark, timers stay pending); returns the savepoint's path.
   */
  String stopWithSavepoint(Path directory) throws Exception {
    String path =
        flink
            .stopWithSavepoint(
                job, directory.toUri().toString(), false, SavepointFormatType.CANONICAL)
            .get(120, TimeUnit.SECONDS);
    job = null;
    return path;
  }

  /**
   * Starts the job with {@code options} on the rig's MiniCluster from {@code savepoint}, refusing
   * state that maps to no operator (a changed uid would lose it), and waits until every task runs.
   */
  void startJobFromSavepoint(Configuration options, String savepoint) throws Exception {
    submit(options, SavepointRestoreSettings.forPath(savepoint, false));
  }

  private void submit(Configuration options, SavepointRestoreSettings restore) throws Exception {
    SchedulerSettings settings = SchedulerSettings.of(catalog(), roughProfile(catalog()), options);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(SchedulerJob.jobConfiguration(options));
    env.setParallelism(PARALLELISM);
    SchedulerJob.defineWorkflow(env, new KafkaSchedulerJobIo(options), settings);
    StreamGraph graph = env.getStreamGraph();
    if (restore != null) {
      graph.setSavepointRestoreSettings(restore);
    }
    job = flink.submitJob(graph).get(60, TimeUnit.SECONDS).getJobID();
    awaitAllTasksRunning(Duration.ofSeconds(120));
  }

  private void awaitAllTasksRunning(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      AccessExecutionGraph graph = flink.getExecutionGraph(job).get(10, TimeUnit.SECONDS);
      if (graph.getState().isGloballyTerminalState()) {
        throw new IllegalStateException("the job ended while starting: " + graph.getState());
      }
      // a job still initializing has a placeholder graph without vertices: not running yet
      boolean allRunning = graph.getAllExecutionVertices().iterator().hasNext();
      for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
        allRunning &= v.getExecutionState() == ExecutionState.RUNNING;
      }
      if (allRunning) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the job did not start all its tasks within " + timeout);
  }

  /**
   * The job's health as Flink sees it: its status, how many task attempts beyond the first ran (a
   * restart of any region or of the whole job raises it), and the last failure, if any.
   */
  Health health() throws Exception {
    AccessExecutionGraph graph = flink.getExecutionGraph(job).get(10, TimeUnit.SECONDS);
    int restarts = 0;
    for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
      restarts = Math.max(restarts, v.getCurrentExecutionAttempt().getAttemptNumber());
    }
    ErrorInfo failure = graph.getFailureInfo();
    return new Health(
        graph.getState(), restarts, failure == null ? null : failure.getExceptionAsString());
  }

  /** The job's status, its restarts (highest attempt number of any task) and its last failure. */
  record Health(JobStatus status, int restarts, String failure) {
    boolean healthy() {
      return status == JobStatus.RUNNING && restarts == 0 && failure == null;
    }

    /** The line every scenario prints about its job. */
    String line() {
      return String.format(
          Locale.ROOT,
          "job: %s, restarts %d, last failure: %s",
          status,
          restarts,
          firstLineOfFailure());
    }

    /** How the job fared, at the end of a scenario's figures. */
    String figures() {
      return String.format(Locale.ROOT, "job %s, restarts %d", status, restarts);
    }

    String firstLineOfFailure() {
      return failure == null ? "none" : failure.lines().findFirst().orElse("");
    }
  }

  /** A profile that orders the small ladder like the real one: 1..5 ms at batch 1. */
  static LatencyProfile roughProfile(Catalog catalog) {
    List<LatencyProfile.Entry> entries = new ArrayList<>();
    List<Catalog.Variant> variants = catalog.services().get(0).variants();
    for (Catalog.Server server : catalog.servers()) {
      for (int v = 0; v < variants.size(); v++) {
        for (int batch : new int[] {1, 4, 16}) {
          double ms = (v + 1) * (0.5 + 0.5 * batch / 4.0);
          entries.add(
              new LatencyProfile.Entry(
                  server.name(), variants.get(v).model(), batch, ms, ms * 1.2, 1));
        }
      }
    }
    return new LatencyProfile("chaos", "rough", entries);
  }

  @Override
  public void close() {
    if (flink != null) {
      try {
        if (job != null) {
          flink.cancelJob(job).get(30, TimeUnit.SECONDS);
        }
      } catch (Exception e) {
        log.accept("  could not cancel the job cleanly: " + e);
      }
      try {
        flink.close();
      } catch (Exception e) {
        log.accept("  could not stop the MiniCluster cleanly: " + e);
      }
    }
    edge.close();
    kafka.close();
  }
}
