package io.surge.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlinkClasspathTest {

  private static final String REPO = "/root/.m2/repository/";

  @Test
  void keepsFlinkItsDependenciesAndLog4j() {
    assertThat(
            FlinkClasspath.inDistribution(
                jar("org/apache/flink/flink-runtime/2.2.1/flink-runtime-2.2.1.jar")))
        .isTrue();
    assertThat(
            FlinkClasspath.inDistribution(
                jar("org/apache/flink/flink-clients/2.2.1/flink-clients-2.2.1.jar")))
        .isTrue();
    assertThat(FlinkClasspath.inDistribution(jar("com/esotericsoftware/kryo/5.6.2/kryo-5.6.2.jar")))
        .isTrue();
    assertThat(
            FlinkClasspath.inDistribution(
                jar("org/apache/logging/log4j/log4j-core/2.24.3/log4j-core-2.24.3.jar")))
        .isTrue();
  }

  @Test
  void leavesWhatTheJobJarShipsToTheJobJar() {
    assertThat(
            FlinkClasspath.inDistribution(
                jar(
                    "org/apache/flink/flink-connector-kafka/5.0.0-2.2/flink-connector-kafka-5.0.0-2.2.jar")))
        .isFalse();
    assertThat(
            FlinkClasspath.inDistribution(
                jar("org/apache/flink/flink-connector-base/2.2.1/flink-connector-base-2.2.1.jar")))
        .isFalse();
    assertThat(
            FlinkClasspath.inDistribution(
                jar("org/apache/flink/flink-avro/2.2.1/flink-avro-2.2.1.jar")))
        .isFalse();
    assertThat(
            FlinkClasspath.inDistribution(
                jar("org/apache/kafka/kafka-clients/4.2.0/kafka-clients-4.2.0.jar")))
        .isFalse();
    assertThat(FlinkClasspath.inDistribution(jar("org/apache/avro/avro/1.12.2/avro-1.12.2.jar")))
        .isFalse();
    assertThat(
            FlinkClasspath.inDistribution(
                jar("com/microsoft/onnxruntime/onnxruntime/1.29.0/onnxruntime-1.29.0.jar")))
        .isFalse();
    assertThat(
            FlinkClasspath.inDistribution(
                jar(
                    "com/fasterxml/jackson/core/jackson-databind/2.19.2/jackson-databind-2.19.2.jar")))
        .isFalse();
    assertThat(FlinkClasspath.inDistribution("/work/wt/x/target/classes")).isFalse();
  }

  @Test
  void refusesAClasspathWithoutFlinkRuntime(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("launcher.classpath");
    Files.writeString(file, jar("org/apache/avro/avro/1.12.2/avro-1.12.2.jar"));
    assertThatThrownBy(() -> FlinkClasspath.distribution(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no flink-runtime jar");
  }

  @Test
  void filtersTheLauncherClasspath(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("launcher.classpath");
    String runtime = jar("org/apache/flink/flink-runtime/2.2.1/flink-runtime-2.2.1.jar");
    String kafka = jar("org/apache/kafka/kafka-clients/4.2.0/kafka-clients-4.2.0.jar");
    Files.writeString(file, runtime + File.pathSeparator + kafka + "\n");
    assertThat(FlinkClasspath.distribution(file)).isEqualTo(runtime);
  }

  private static String jar(String path) {
    return REPO + path;
  }
}
