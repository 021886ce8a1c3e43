package io.surge.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the built project lies: the {@code surge} launcher passes its checkout as the system
 * property {@code surge.home}; tests run in the checkout itself. The multi-process cluster needs it
 * for Flink's jars ({@code target/launcher.classpath}) and the shaded job jar, which {@code mvn
 * package} writes there.
 */
public final class SurgeHome {

  /** The system property the launcher sets to its checkout. */
  public static final String PROPERTY = "surge.home";

  private SurgeHome() {}

  /** The checkout: {@code surge.home}, or the working directory when it is not set. */
  public static Path root() {
    String home = System.getProperty(PROPERTY);
    return (home == null || home.isBlank() ? Path.of("") : Path.of(home)).toAbsolutePath();
  }

  /** The launcher classpath written by {@code mvn package}. */
  public static Path launcherClasspathFile() {
    Path file = root().resolve("target").resolve("launcher.classpath");
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(file + " is missing: run `mvn package` first");
    }
    return file;
  }

  /** The shaded job jar {@code mvn package} built ({@code target/surge-*-job.jar}). */
  public static Path jobJar() {
    Path target = root().resolve("target");
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "surge-*-job.jar")) {
      for (Path jar : jars) {
        return jar.toAbsolutePath();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + target, e);
    }
    throw new IllegalStateException("no " + target + "/surge-*-job.jar: run `mvn package` first");
  }
}
