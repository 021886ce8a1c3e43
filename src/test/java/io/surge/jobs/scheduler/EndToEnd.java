package io.surge.jobs.scheduler;

import io.surge.cli.demo.EdgeServers;
import io.surge.cli.devices.Devices;
import io.surge.cli.kafka.EmbeddedKafka;
import io.surge.cli.load.LoadCounts;
import io.surge.cli.load.LoadGenerator;
import io.surge.cli.load.LoadOptions;
import io.surge.cli.results.ResultsCollector;
import io.surge.jobs.config.SurgeOptions;
import io.surge.jobs.kafka.Topics;
import io.surge.serving.ladder.GeneratedLadder;
import io.surge.serving.ladder.LadderOptions;
import io.surge.serving.ladder.ModelLadder;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;

/**
 * The real parts of the end-to-end tests: a KRaft broker, two edge servers, topics, settings.
 * Public for the multi-process cluster test in {@code io.surge.jobs.cluster}.
 */
public final class EndToEnd implements AutoCloseable {

  public final EmbeddedKafka kafka;
  public final EdgeServers edge;
  public final Topics topics;

  public EndToEnd(Path dir, String prefix) throws Exception {
    this(dir, prefix, null);
  }

  /**
   * @param emulatedDisturbances null = the two servers run ONNX Runtime on the CPU; otherwise they
   *     are emulated accelerators on {@link #roughProfile} with these disturbances
   */
  public EndToEnd(Path dir, String prefix, String emulatedDisturbances) throws Exception {
    this(dir, prefix, emulatedDisturbances, 0);
  }

  /**
   * @param grpcServers how many of the two servers the catalog lists by their {@code grpc://} URL
   *     (the last ones); the others by {@code http://}
   */
  public EndToEnd(Path dir, String prefix, String emulatedDisturbances, int grpcServers)
      throws Exception {
    kafka = EmbeddedKafka.start();
    Path repository = dir.resolve("repository");
    GeneratedLadder ladder =
        ModelLadder.generate(repository, LadderOptions.defaults().withScale(0.05));
    Devices devices =
        emulatedDisturbances == null
            ? Devices.cpu()
            : Devices.emulated(
                deviceProfile(ladder.catalog()),
                null,
                1.0,
                DisturbanceSpec.parse(emulatedDisturbances));
    edge = EdgeServers.start(repository, ladder, 2, devices, grpcServers);
    topics = Topics.withPrefix(prefix).withPartitions(2);
    try (Admin admin = Admin.create(kafka.adminProperties())) {
      topics.createAll(admin);
    }
  }

  public Catalog catalog() {
    return edge.catalog();
  }

  public Catalog.Service service() {
    return catalog().services().get(0);
  }

  /** Job options as a user would set them, pointed at the embedded broker. */
  public Configuration config(String transactionalPrefix) {
    Configuration config = new Configuration();
    config.set(SurgeOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    config.set(SurgeOptions.TOPIC_PREFIX, topics.prefix());
    config.set(SurgeOptions.GROUP_ID, transactionalPrefix);
    config.set(SurgeOptions.TRANSACTIONAL_ID_PREFIX, transactionalPrefix);
    config.set(SurgeOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
    return config;
  }

  public SchedulerSettings settings() {
    return settings(SurgeOptions.MAX_DEADLINE.defaultValue());
  }

  /** {@link #settings()} accepting request deadlines up to {@code maxDeadline}. */
  public SchedulerSettings settings(Duration maxDeadline) {
    Configuration config = new Configuration();
    config.set(SurgeOptions.MAX_DEADLINE, maxDeadline);
    config.set(SurgeOptions.INITIAL_POLICY, "greedy-slo");
    config.set(SurgeOptions.INVOKER_CAPACITY, 64);
    config.set(SurgeOptions.MAX_PAYLOAD_BYTES, 1 << 20);
    return SchedulerSettings.of(catalog(), roughProfile(catalog()), config);
  }

  /** A profile that orders the tiny test ladder like the real one: 1..5 ms at batch 1. */
  public static LatencyProfile roughProfile(Catalog catalog) {
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
    return new LatencyProfile("test", "rough", entries);
  }

  /** The emulated devices' profile: {@link #roughProfile}'s latencies on one device. */
  static LatencyProfile deviceProfile(Catalog catalog) {
    List<LatencyProfile.Entry> entries = new ArrayList<>();
    for (LatencyProfile.Entry e : roughProfile(catalog).entries()) {
      if (e.server().equals(catalog.servers().get(0).name())) {
        entries.add(
            new LatencyProfile.Entry(
                "device", e.model(), e.batch(), e.medianMs(), e.p95Ms(), e.samples()));
      }
    }
    return new LatencyProfile("test", "rough, one device", entries);
  }

  /**
   * Produces requests at {@code rate} per second with the given fraction of invalid ones; the
   * deadline is generous because these tests check counts, not timing, on a possibly busy machine.
   */
  public LoadCounts send(double rate, long seed, int requests, double invalidFraction) {
    return send(rate, seed, requests, invalidFraction, 8_000);
  }

  /** As {@link #send(double, long, int, double)} with the requests' deadline in milliseconds. */
  public LoadCounts send(
      double rate, long seed, int requests, double invalidFraction, int deadlineMs) {
    return LoadGenerator.run(
        kafka.bootstrapServers(),
        new Properties(),
        catalog(),
        WorkloadSpec.parse("poisson:rate=" + rate).newProcess(seed),
        LoadOptions.to(topics.requests())
            .withMaxRequests(requests)
            .withDeadlineMs(deadlineMs)
            .withInvalidFraction(invalidFraction)
            .withPayload(true)
            .withProgress(Duration.ofSeconds(30), s -> {}));
  }

  /** A read_committed view of the results and dead-letters topics. */
  public ResultsCollector collector() {
    return new ResultsCollector(
        kafka.bootstrapServers(), topics.results(), topics.deadLetters(), service());
  }

  @Override
  public void close() {
    edge.close();
    kafka.close();
  }
}
