package io.surge.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Flink configuration directory as a distribution's {@code conf/}: {@code config.yaml} for a
 * one-host session cluster on 127.0.0.1 with free ports, and log4j files writing to {@code
 * ${sys:log.file}}.
 */
public final class FlinkConfDir {

  public static final String HOST = "127.0.0.1";

  /**
   * JVM options every Flink JVM needs on Java 17 (Flink's own config.yaml passes them as {@code
   * env.java.default-opts.all}), plus Avro 1.12's trusted package for the generated records.
   */
  public static final List<String> JVM_OPTIONS =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
          "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.surge.schema");

  private final Path dir;
  private final int restPort;

  private FlinkConfDir(Path dir, int restPort) {
    this.dir = dir;
    this.restPort = restPort;
  }

  /**
   * Writes {@code dir} with the cluster settings; {@code overrides} replace or add keys.
   *
   * @param work where the cluster keeps temporary files and checkpoints
   */
  public static FlinkConfDir write(Path dir, Path work, Map<String, String> overrides) {
    int rpcPort = freePort();
    int restPort = freePort();
    Map<String, String> config = new LinkedHashMap<>();
    config.put("jobmanager.rpc.address", HOST);
    config.put("jobmanager.rpc.port", String.valueOf(rpcPort));
    config.put("jobmanager.bind-host", HOST);
    config.put("rest.address", HOST);
    config.put("rest.bind-address", HOST);
    config.put("rest.port", String.valueOf(restPort));
    config.put("taskmanager.host", HOST);
    config.put("taskmanager.bind-host", HOST);
    config.put("taskmanager.numberOfTaskSlots", "2");
    config.put("parallelism.default", "2");
    // small processes: this shares a small machine with a broker, servers and the test
    config.put("jobmanager.memory.process.size", "1024m");
    config.put("taskmanager.memory.process.size", "1280m");
    config.put("taskmanager.memory.managed.size", "64m");
    // a killed TaskManager is noticed within seconds, not the default 50 s
    config.put("heartbeat.interval", "1000");
    config.put("heartbeat.timeout", "10000");
    config.put("io.tmp.dirs", work.resolve("tmp").toString());
    config.put("execution.checkpointing.dir", work.resolve("checkpoints").toUri().toString());
    // documents the options; the launcher passes them itself, as Flink's scripts would
    config.put("env.java.opts.all", String.join(" ", JVM_OPTIONS));
    config.putAll(overrides);
    try {
      Files.createDirectories(dir);
      Files.createDirectories(work.resolve("tmp"));
      Files.writeString(dir.resolve("config.yaml"), yaml(config));
      Files.writeString(dir.resolve("log4j.properties"), log4j("INFO"));
      Files.writeString(dir.resolve("log4j-cli.properties"), log4j("INFO"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Flink configuration in " + dir, e);
    }
    return new FlinkConfDir(dir, restPort);
  }

  public Path dir() {
    return dir;
  }

  public int restPort() {
    return restPort;
  }

  /** Flat keys, every value double-quoted (Flink converts strings to the option's type). */
  private static String yaml(Map<String, String> config) {
    return config.entrySet().stream()
            .map(
                e ->
                    e.getKey()
                        + ": \""
                        + e.getValue().replace("\\", "\\\\").replace("\"", "\\\"")
                        + "\"")
            .collect(Collectors.joining("\n"))
        + "\n";
  }

  /** One file appender at {@code ${sys:log.file}}; Kafka clients only from WARN (very chatty). */
  private static String log4j(String level) {
    return String.join(
        "\n",
        "monitorInterval = 0",
        "rootLogger.level = " + level,
        "rootLogger.appenderRef.main.ref = MainAppender",
        "appender.main.name = MainAppender",
        "appender.main.type = File",
        "appender.main.fileName = ${sys:log.file}",
        "appender.main.append = true",
        "appender.main.layout.type = PatternLayout",
        "appender.main.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-50c{1.} [%t] - %m%n",
        "logger.kafka.name = org.apache.kafka",
        "logger.kafka.level = WARN",
        "logger.pekko.name = org.apache.pekko",
        "logger.pekko.level = WARN",
        "");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
  }
}
