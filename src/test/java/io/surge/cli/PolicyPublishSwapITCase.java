package io.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.cli.load.LoadCounts;
import io.surge.cli.load.LoadGenerator;
import io.surge.cli.load.LoadOptions;
import io.surge.cli.publish.PolicyPublisher;
import io.surge.cli.publish.PublishTarget;
import io.surge.cli.publish.PublishedPolicy;
import io.surge.cli.results.ResultsReader;
import io.surge.jobs.scheduler.EndToEnd;
import io.surge.jobs.scheduler.Jobs;
import io.surge.jobs.scheduler.KafkaSchedulerJobIo;
import io.surge.jobs.scheduler.SchedulerJob;
import io.surge.jobs.scheduler.SchedulerSettings;
import io.surge.operators.TestPolicies;
import io.surge.policy.onnx.PolicyFile;
import io.surge.schema.DeadLetter;
import io.surge.schema.InferenceResult;
import io.surge.schema.PolicyUpdate;
import io.surge.schema.wire.AvroWire;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.EstimatorSettings;
import io.surge.state.ObservationSpec;
import io.surge.state.ServiceTopology;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy loop of issue 9 on real parts (KRaft broker, Flink MiniCluster, two inference servers
 * on ONNX Runtime) while requests flow: {@code surge publish} v1 (inline) then v2 (by a file://
 * reference), and the results switch from one version to the next; a corrupt v3 (its bytes not
 * those its SHA-256 names, put on the topic by the publisher's producing step, since {@code surge
 * publish} itself refuses a corrupt file) is dead-lettered and v2 keeps deciding; {@code surge
 * publish --rollback} brings v1's model back as v4. Every request ends in exactly one result, and
 * in the order requests were sent their policy versions only go up: 0 (greedy-slo), 1, 2, 4.
 */
class PolicyPublishSwapITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final String RUN = "swap";
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void publishSwapRejectAndRollBackWhileRequestsFlow(
      @TempDir Path dir, @InjectMiniCluster MiniCluster flink) throws Exception {
    try (EndToEnd parts = new EndToEnd(dir, "swap.")) {
      SchedulerSettings settings = parts.settings();
      Configuration jobOptions = parts.config(RUN);
      Path yaml = jobYaml(dir, parts, settings);
      String bootstrap = parts.kafka.bootstrapServers();

      ServiceTopology topology = ServiceTopology.of(parts.catalog(), parts.service().name());
      List<String> variants = topology.actionNames();
      ObservationSpec spec =
          ObservationSpec.of(
              topology, EstimatorSettings.defaults().withHistoryLength(settings.historyLength()));
      // the files carry a version of their own: surge publish stamps the next one over it
      Path v1File = dir.resolve("smallest.onnx");
      Files.write(v1File, TestPolicies.favouring(spec, variants, 0, 99).toBytes());
      Path v2File = dir.resolve("middle.onnx");
      Files.write(v2File, TestPolicies.favouring(spec, variants, 2, 99).toBytes());

      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(
              SchedulerJob.jobConfiguration(jobOptions));
      env.setParallelism(2);
      SchedulerJob.defineWorkflow(env, new KafkaSchedulerJobIo(jobOptions), settings);
      JobClient job = env.executeAsync("surge-policy-swap");
      Jobs.awaitAllTasksRunning(flink, job.getJobID(), Duration.ofSeconds(60));

      try (Tally tally = new Tally(bootstrap, parts.topics.results(), parts.topics.deadLetters());
          Producer<byte[], byte[]> producer =
              LoadGenerator.createProducer(bootstrap, new Properties())) {
        LoadGenerator load =
            new LoadGenerator(
                producer,
                parts.catalog(),
                WorkloadSpec.parse("poisson:rate=40").newProcess(9),
                LoadOptions.to(parts.topics.requests())
                    .withRunId(RUN)
                    .withDeadlineMs(8_000)
                    .withPayload(true)
                    .withDuration(Duration.ofMinutes(10))
                    .withProgress(Duration.ofMinutes(1), s -> {}),
                Clock.systemUTC());
        CompletableFuture<LoadCounts> sending = CompletableFuture.supplyAsync(load::run);
        try {
          assertThat(tally.await(() -> tally.withVersion(0) >= 20, WAIT))
              .as("results of the fallback before any publish")
              .isTrue();

          // v1, inline
          CliRun v1 = publish(v1File.toString(), "--bootstrap", bootstrap, "--config", "" + yaml);
          assertThat(v1.out.toString()).contains("published version 1 (smallest.onnx)", "inline");
          assertThat(tally.await(() -> tally.withVersion(1) >= 20, WAIT)).isTrue();

          // v2, by reference to the stamped file in a store
          Path store = dir.resolve("store");
          CliRun v2 =
              publish(
                  v2File.toString(),
                  "--bootstrap",
                  bootstrap,
                  "--config",
                  "" + yaml,
                  "--store",
                  "" + store);
          assertThat(v2.out.toString())
              .contains("published version 2 (middle.onnx)", "at file:", "policy-v2.onnx");
          assertThat(tally.await(() -> tally.withVersion(2) >= 20, WAIT)).isTrue();

          // a corrupt file is refused here, before anything is sent
          Path garbage = dir.resolve("corrupt.onnx");
          Files.write(garbage, Arrays.copyOf(Files.readAllBytes(v2File), 100));
          CliRun refused = new CliRun();
          assertThat(
                  refused.run(
                      "publish", "" + garbage, "--bootstrap", bootstrap, "--config", "" + yaml))
              .isEqualTo(1);
          assertThat(refused.err.toString()).contains("not a policy model");

          // ... so a corrupt v3 goes on the topic through the publisher's producing step
          PolicyPublisher publisher =
              new PolicyPublisher(PublishTarget.fromJobConfig(yaml, bootstrap, new Properties()));
          assertThat(publisher.topic()).hasSize(2);
          PolicyFile v3Model = PolicyFile.read(v2File).withVersion(3);
          byte[] damaged = v3Model.bytes();
          damaged[damaged.length / 2] ^= 0x5a;
          PolicyUpdate v3 =
              PolicyUpdate.newBuilder()
                  .setVersion(3)
                  .setName("corrupt in transit")
                  .setService(null)
                  .setCreatedAt(Instant.now())
                  .setSpecHash(v3Model.specHash())
                  .setActions(v3Model.actions())
                  .setSha256(v3Model.sha256())
                  .setModel(ByteBuffer.wrap(damaged))
                  .build();
          PolicyPublisher.Published sent3 = publisher.produce(v3, damaged.length);
          assertThat(
                  tally.await(
                      () -> tally.deadLetter(sent3.partition(), sent3.offset()) != null, WAIT))
              .as("a dead letter for the corrupt v3")
              .isTrue();
          assertThat(tally.deadLetter(sent3.partition(), sent3.offset()).getReason())
              .contains("policy rejected", "CHECKSUM_MISMATCH");
          long v2Before = tally.withVersion(2);
          assertThat(tally.await(() -> tally.withVersion(2) >= v2Before + 20, WAIT))
              .as("v2 keeps deciding after the rejection")
              .isTrue();

          // rollback: v1's model again, as v4
          CliRun v4 = publish("--rollback", "--bootstrap", bootstrap, "--config", "" + yaml);
          assertThat(v4.out.toString()).contains("published version 4 (rollback to v1");
          assertThat(tally.await(() -> tally.withVersion(4) >= 20, WAIT)).isTrue();
        } finally {
          load.stop();
        }
        LoadCounts counts = sending.get();
        assertThat(counts.failed()).isZero();
        assertThat(tally.await(() -> tally.distinct() >= counts.valid(), WAIT))
            .as("a result for each of %s requests", counts.valid())
            .isTrue();
        Thread.sleep(2_000); // a few more checkpoints: nothing may arrive twice or extra

        // every request exactly one result, and none of the rejected v3
        assertThat(tally.distinct()).isEqualTo(counts.valid());
        assertThat(tally.duplicates()).isZero();
        assertThat(tally.undecodable()).isZero();
        assertThat(tally.withVersion(3)).isZero();
        assertThat(tally.deadLetterCount()).isEqualTo(1);

        // in the order they were sent, requests see 0, then 1, then 2, then 4: no flapping back
        List<Long> inOrder = tally.versionsInSendOrder(counts.valid());
        List<Long> steps = new ArrayList<>();
        for (long v : inOrder) {
          if (steps.isEmpty() || steps.get(steps.size() - 1) != v) {
            steps.add(v);
          }
        }
        assertThat(steps).containsExactly(0L, 1L, 2L, 4L);

        // each version decided as its model says: v1 and v4 the smallest variant, v2 the middle
        assertThat(tally.variantsOf(1)).containsOnlyKeys(variants.get(0));
        assertThat(tally.variantsOf(2)).containsOnlyKeys(variants.get(2));
        assertThat(tally.variantsOf(4)).containsOnlyKeys(variants.get(0));

        // v4 is v1's model with another version: stamped back, it is v1 to the byte
        PolicyPublisher publisher =
            new PolicyPublisher(PublishTarget.fromJobConfig(yaml, bootstrap, new Properties()));
        List<PublishedPolicy> topic = publisher.topic();
        assertThat(topic).extracting(PublishedPolicy::version).containsExactly(1L, 2L, 3L, 4L);
        assertThat(topic)
            .extracting(PublishedPolicy::accepted)
            .containsExactly(true, true, false, true);
        PolicyUpdate v1Update = topic.get(0).update();
        PolicyUpdate v4Update = topic.get(3).update();
        assertThat(
                PolicyFile.of(AvroWire.toBytes(v4Update.getModel()), Long.MAX_VALUE, null)
                    .withVersion(1)
                    .sha256())
            .isEqualTo(v1Update.getSha256());
        assertThat(topic.get(1).update().getModelUri()).endsWith("policy-v2.onnx");

        CliRun list = new CliRun();
        assertThat(list.run("policies", "--bootstrap", bootstrap, "--topic-prefix", "swap."))
            .isZero();
        String listing = list.out.toString();
        System.out.println(listing);
        assertThat(listing.lines().filter(l -> l.contains("accepted")).count()).isEqualTo(3);
        assertThat(listing)
            .contains("REJECTED: policy rejected: CHECKSUM_MISMATCH", v1Update.getSha256())
            .contains("4 policy record(s)");
        System.out.printf(
            "policy swap: %d requests, results per version %s%n",
            counts.valid(), tally.byVersion());
      } finally {
        job.cancel().get();
      }
    }
  }

  private static CliRun publish(String... args) {
    CliRun cli = new CliRun();
    String[] all = new String[args.length + 1];
    all[0] = "publish";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = cli.run(all);
    System.out.print(cli.out);
    assertThat(code).as("surge publish: %s%s", cli.out, cli.err).isZero();
    return cli;
  }

  /** The job's configuration as a user writes it: what surge publish reads with --config. */
  private static Path jobYaml(Path dir, EndToEnd parts, SchedulerSettings settings)
      throws Exception {
    Path catalog = dir.resolve("catalog.yaml");
    parts.catalog().write(catalog);
    Path yaml = dir.resolve("scheduler.yaml");
    Files.writeString(
        yaml,
        "surge:\n"
            + "  catalog: "
            + catalog
            + "\n  topics:\n    prefix: "
            + parts.topics.prefix()
            + "\n  policy:\n    initial: "
            + settings.initialPolicy()
            + "\n  observation:\n    history: "
            + settings.historyLength()
            + "\n");
    return yaml;
  }

  /** Every result and dead letter (read_committed), by request id and by source record. */
  private static final class Tally implements AutoCloseable {
    private final String resultsTopic;
    private final AvroWire<InferenceResult> results = AvroWire.of(InferenceResult.class);
    private final AvroWire<DeadLetter> letters = AvroWire.of(DeadLetter.class);
    private final Map<String, List<InferenceResult>> byId = new HashMap<>();
    private final Map<String, DeadLetter> deadLetters = new HashMap<>();
    private long undecodable;
    private final ResultsReader reader;

    Tally(String bootstrap, String resultsTopic, String deadLettersTopic) {
      this.resultsTopic = resultsTopic;
      this.reader =
          new ResultsReader(
              bootstrap, List.of(resultsTopic, deadLettersTopic), "swap-tally", this::onBatch);
    }

    private synchronized void onBatch(ConsumerRecords<byte[], byte[]> records, long nanos) {
      for (ConsumerRecord<byte[], byte[]> record : records) {
        try {
          if (record.topic().equals(resultsTopic)) {
            InferenceResult r = ResultsReader.decode(results, record);
            byId.computeIfAbsent(r.getRequestId(), id -> new ArrayList<>(1)).add(r);
          } else {
            DeadLetter d = ResultsReader.decode(letters, record);
            deadLetters.put(d.getPartition() + "@" + d.getOffset(), d);
          }
        } catch (AvroWire.InvalidRecordException e) {
          undecodable++;
        }
      }
    }

    boolean await(BooleanSupplier reached, Duration timeout) throws InterruptedException {
      return reader.await(reached, timeout);
    }

    synchronized long withVersion(long version) {
      return byId.values().stream().filter(r -> r.get(0).getPolicyVersion() == version).count();
    }

    synchronized Map<Long, Long> byVersion() {
      return byId.values().stream()
          .collect(Collectors.groupingBy(r -> r.get(0).getPolicyVersion(), Collectors.counting()));
    }

    synchronized Map<String, Long> variantsOf(long version) {
      return byId.values().stream()
          .map(r -> r.get(0))
          .filter(r -> r.getPolicyVersion() == version)
          .collect(
              Collectors.groupingBy(
                  r -> r.getVariant() == null ? "(shed)" : r.getVariant(), Collectors.counting()));
    }

    synchronized DeadLetter deadLetter(int partition, long offset) {
      return deadLetters.get(partition + "@" + offset);
    }

    synchronized long deadLetterCount() {
      return deadLetters.size();
    }

    synchronized long distinct() {
      return byId.size();
    }

    synchronized long duplicates() {
      return byId.values().stream().mapToLong(r -> r.size() - 1).sum();
    }

    synchronized long undecodable() {
      return undecodable;
    }

    /** The deciding version of requests {@code RUN-0 … RUN-(n-1)}, in the order they were sent. */
    synchronized List<Long> versionsInSendOrder(long n) {
      List<Long> out = new ArrayList<>();
      for (long i = 0; i < n; i++) {
        List<InferenceResult> r = byId.get(RUN + "-" + i);
        assertThat(r).as("result of %s-%s", RUN, i).isNotNull();
        out.add(r.get(0).getPolicyVersion());
      }
      return out;
    }

    @Override
    public void close() throws InterruptedException {
      reader.close();
    }
  }
}
