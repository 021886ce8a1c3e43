package io.surge.cli.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.commons.io.FileUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) running in this JVM on
 * 127.0.0.1, for the demo and the end-to-end tests (DESIGN.md section 4).
 *
 * <p>It formats a fresh temporary log directory, picks free ports, and starts {@link
 * KafkaRaftServer} from the {@code kafka_2.13} jars; {@link #close()} stops it and deletes the
 * directory. Settings fit exactly-once on one node: internal topics with replication factor 1 and
 * min ISR 1, and a {@code transaction.max.timeout.ms} of two hours so that a Flink {@code
 * KafkaSink} with its default one-hour transaction timeout is accepted.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *   String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final String HOST = "127.0.0.1";
  private static final int NODE_ID = 1;
  private static final int PORT_ATTEMPTS = 3;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaRaftServer server;
  private final Path logDir;
  private final int brokerPort;
  private final KafkaSecurity security;
  private final Thread shutdownHook;
  private boolean closed;

  private EmbeddedKafka(
      KafkaRaftServer server, Path logDir, int brokerPort, KafkaSecurity security) {
    this.server = server;
    this.logDir = logDir;
    this.brokerPort = brokerPort;
    this.security = security;
    // a demo stopped with Ctrl-C still stops the broker and removes its directory
    this.shutdownHook = new Thread(this::close, "surge-kafka-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a broker with the default settings. */
  public static EmbeddedKafka start() {
    return start(Map.of());
  }

  /**
   * Starts a broker; {@code overrides} replace or add broker properties (e.g. {@code
   * auto.create.topics.enable=true}). Returns once the broker accepts admin requests.
   */
  public static EmbeddedKafka start(Map<String, String> overrides) {
    return start(overrides, null);
  }

  /**
   * Starts a broker whose only client listener is SASL_SSL with SCRAM ({@code security}'s user
   * created when the storage is formatted); {@link #adminProperties()} then carry the client
   * settings.
   */
  public static EmbeddedKafka startSecured(KafkaSecurity security) {
    return start(Map.of(), security);
  }

  private static EmbeddedKafka start(Map<String, String> overrides, KafkaSecurity security) {
    long started = System.nanoTime();
    BrokerLogging.quieten();
    Path logDir = createTempDir();
    try {
      EmbeddedKafka kafka = startOnFreePorts(logDir, overrides, security);
      kafka.awaitReady();
      LOG.info(
          "Kafka broker up at {} in {} ms",
          kafka.bootstrapServers(),
          (System.nanoTime() - started) / 1_000_000);
      return kafka;
    } catch (RuntimeException e) {
      deleteRecursively(logDir);
      throw e;
    }
  }

  /** The {@code bootstrap.servers} value of this broker, e.g. {@code 127.0.0.1:40123}. */
  public String bootstrapServers() {
    return HOST + ":" + brokerPort;
  }

  /** Admin client properties for this broker. */
  public Properties adminProperties() {
    Properties props = new Properties();
    if (security != null) {
      props.putAll(security.clientProperties());
    }
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return props;
  }

  /** The broker's log directory (deleted on close). */
  public Path logDir() {
    return logDir;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    removeShutdownHook();
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      deleteRecursively(logDir);
    }
  }

  private void removeShutdownHook() {
    if (Thread.currentThread() == shutdownHook) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook runs close() itself
    }
  }

  /**
   * Ports are found by binding port 0 and releasing it, so another process could take one before
   * the broker binds it; a bind failure is therefore retried with new ports.
   */
  private static EmbeddedKafka startOnFreePorts(
      Path logDir, Map<String, String> overrides, KafkaSecurity security) {
    RuntimeException last = null;
    for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      int brokerPort = freePort();
      int controllerPort = freePort();
      Map<String, String> all = new LinkedHashMap<>(overrides);
      if (security != null) {
        all.putAll(security.brokerProperties(HOST, brokerPort, controllerPort));
      }
      KafkaConfig config =
          KafkaConfig.fromProps(brokerProperties(logDir, brokerPort, controllerPort, all));
      format(logDir, security == null ? List.of() : security.scramArguments());
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      try {
        server.startup();
        return new EmbeddedKafka(server, logDir, brokerPort, security);
      } catch (RuntimeException e) {
        shutdownQuietly(server);
        if (!causedByBind(e)) {
          throw new IllegalStateException("embedded Kafka broker failed to start: " + e, e);
        }
        last = e;
        cleanDir(logDir);
      }
    }
    throw new IllegalStateException("no free ports for the embedded Kafka broker", last);
  }

  static Properties brokerProperties(
      Path logDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("metadata.log.dir", logDir.toString());
    p.putAll(singleNodeSettings());
    p.putAll(smallFootprintSettings());
    p.putAll(overrides);
    Properties props = new Properties();
    props.putAll(p);
    return props;
  }

  /** Internal topics and transactions on one node: everything replicated once. */
  private static Map<String, String> singleNodeSettings() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    // Flink's KafkaSink defaults to a one-hour transaction timeout; the broker default (15 min)
    // would refuse it at job start.
    p.put("transaction.max.timeout.ms", String.valueOf(Duration.ofHours(2).toMillis()));
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    return p;
  }

  /** Few threads and small buffers: the broker shares a small machine with Flink and servers. */
  private static Map<String, String> smallFootprintSettings() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("background.threads", "2");
    p.put("log.cleaner.threads", "1");
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
    p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
    return p;
  }

  /** What {@code kafka-storage.sh format --cluster-id <random> --config <config>} does. */
  private static void format(Path logDir, List<String> scramArguments) {
    Formatter formatter =
        new Formatter()
            .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
            .setNodeId(NODE_ID)
            .setClusterId(Uuid.randomUuid().toString())
            .setDirectories(List.of(logDir.toString()))
            .setMetadataLogDirectory(logDir.toString())
            .setControllerListenerName("CONTROLLER")
            .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
            .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
            .setHasDynamicQuorum(false)
            .setScramArguments(scramArguments);
    try {
      formatter.run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format Kafka storage in " + logDir + ": " + e, e);
    }
  }

  /** Polls the broker with an admin request until it answers or the deadline passes. */
  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (Admin admin = Admin.create(adminProperties())) {
      while (true) {
        try {
          admin.describeCluster().nodes().get();
          return;
        } catch (ExecutionException e) {
          if (System.nanoTime() > deadline) {
            close();
            throw new IllegalStateException("embedded Kafka broker not ready: " + e.getCause(), e);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          close();
          throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
        if (System.nanoTime() > deadline) {
          close();
          throw new IllegalStateException("embedded Kafka broker not ready in " + READY_TIMEOUT);
        }
      }
    }
  }

  private static boolean causedByBind(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  private static void shutdownQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.debug("ignored while stopping a broker that failed to start", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
  }

  private static Path createTempDir() {
    try {
      return Files.createTempDirectory("surge-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a Kafka log directory", e);
    }
  }

  private static void cleanDir(Path dir) {
    deleteRecursively(dir);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot recreate " + dir, e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try {
      FileUtils.deleteDirectory(dir.toFile());
    } catch (IOException e) {
      LOG.warn("could not delete Kafka log directory {}: {}", dir, e.toString());
    }
  }
}
