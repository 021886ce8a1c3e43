package io.surge.cli;

import io.surge.cli.bench.EmulatedDeviceBenchmark;
import io.surge.cli.bench.ServingBenchmark;
import io.surge.state.catalog.LatencyProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code surge bench emulated}: one emulated server against its profile. */
@Command(
    name = "emulated",
    mixinStandardHelpOptions = true,
    description = {
      "One emulated accelerator against its profile: latency at low load, batched saturation.",
      "Starts an emulated server (surge serve --device emulated) in this JVM on the full ladder"
          + " (or --repository) and prints, per (model, batch), the server's execution time and"
          + " the client round trip at one request in flight against scale x profile, then per"
          + " variant the closed-loop saturation throughput against the profile's batched"
          + " prediction, with the CPU the process uses."
    })
final class BenchEmulatedCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--profile",
      required = true,
      paramLabel = "FILE",
      description = "The device profile, e.g. OUT/device-profile.json of a demo run.")
  Path profile;

  @Option(
      names = "--scale",
      defaultValue = "1.0",
      description = "Multiplies the profiled latencies (default: ${DEFAULT-VALUE}).")
  double scale;

  @Option(
      names = "--repository",
      paramLabel = "DIR",
      description = "Model repository (default: the full ladder, generated into a temp dir).")
  Path repository;

  @Option(
      names = "--runs",
      defaultValue = "20",
      description = "Timed rounds at low load (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--clients",
      defaultValue = "48",
      description = "Closed-loop clients at saturation (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--seconds",
      defaultValue = "5",
      description = "Measurement window per variant at saturation (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Override
  public Integer call() throws IOException {
    if (!(seconds > 0 && seconds <= 600) || runs < 1 || clients < 1 || !(scale > 0)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "need --seconds in (0, 600], --runs >= 1, --clients >= 1, --scale > 0");
    }
    LatencyProfile device;
    try {
      device = LatencyProfile.load(profile);
    } catch (UncheckedIOException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Path generated = null;
    Path repo = repository;
    if (repo == null) {
      generated = Files.createTempDirectory("surge-bench-emulated");
      System.out.println("generating the full ladder into " + generated);
      repo = ServingBenchmark.generateLadder(generated);
    }
    try {
      EmulatedDeviceBenchmark.run(
          repo,
          device,
          scale,
          new EmulatedDeviceBenchmark.Settings(
              List.of(1, 2, 4, 8, 16),
              runs,
              clients,
              Duration.ofSeconds(1),
              Duration.ofMillis(Math.round(seconds * 1000))),
          System.out);
      return 0;
    } finally {
      if (generated != null) {
        try (Stream<Path> paths = Files.walk(generated)) {
          for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }
}
