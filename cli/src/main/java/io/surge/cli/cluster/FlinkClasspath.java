package io.surge.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The classpath of the cluster's processes: what a Flink distribution's {@code lib/} holds (Flink's
 * runtime, clients and streaming API with their own third-party dependencies, and log4j), taken
 * from {@code target/launcher.classpath}.
 *
 * <p>Why an allow-list: the launcher classpath also holds everything the job jar ships (the Kafka
 * connector, kafka-clients, Avro, ONNX Runtime, Jackson) and CLI-only libraries. Left on the
 * cluster's classpath they would hide a job jar that lacks them; worse, Flink loads {@code
 * org.apache.flink.*} parent-first, so the connector would silently come from the cluster instead
 * of the jar. With an allow-list a missing Flink dependency fails loudly at start (the JobManager
 * log says which class), while a missing job dependency fails the job, as on a real cluster.
 */
public final class FlinkClasspath {

  /** Job-jar content that shares Flink's group id: never on the cluster's classpath. */
  private static final Pattern JOB_CONNECTORS =
      Pattern.compile(".*/flink-(connector-kafka|connector-base|avro)-[^/]*\\.jar");

  /**
   * Flink's own modules and their third-party dependencies (from the poms of flink-core,
   * flink-runtime, flink-clients, flink-streaming-java), plus log4j: a distribution's lib/.
   */
  private static final List<Pattern> DISTRIBUTION =
      Arrays.stream(
              new String[] {
                "/org/apache/flink/",
                "/com/esotericsoftware/",
                "/org/objenesis/",
                "/commons-collections/",
                "/org/apache/commons/commons-(lang3|math3|text|compress)/",
                "/commons-io/",
                "/commons-codec/",
                "/commons-cli/",
                "/org/snakeyaml/",
                "/org/slf4j/",
                "/com/google/code/findbugs/",
                "/org/javassist/",
                "/tools/profiler/",
                "/org/apache/logging/log4j/",
              })
          .map(p -> Pattern.compile(".*" + p + ".*"))
          .toList();

  private FlinkClasspath() {}

  /** The distribution part of the launcher classpath, as a {@code CLASSPATH} value. */
  public static String distribution(Path launcherClasspathFile) {
    String all;
    try {
      all = Files.readString(launcherClasspathFile).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + launcherClasspathFile, e);
    }
    List<String> kept =
        Arrays.stream(all.split(java.io.File.pathSeparator))
            .filter(FlinkClasspath::inDistribution)
            .toList();
    if (kept.stream().noneMatch(jar -> jar.contains("flink-runtime-"))) {
      throw new IllegalStateException("no flink-runtime jar in " + launcherClasspathFile);
    }
    return String.join(java.io.File.pathSeparator, kept);
  }

  public static boolean inDistribution(String jar) {
    String path = jar.replace('\\', '/');
    if (JOB_CONNECTORS.matcher(path).matches()) {
      return false;
    }
    return DISTRIBUTION.stream().anyMatch(p -> p.matcher(path).matches());
  }
}
