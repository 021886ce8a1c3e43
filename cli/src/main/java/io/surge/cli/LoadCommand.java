package io.surge.cli;

import io.surge.cli.load.LoadCounts;
import io.surge.cli.load.LoadGenerator;
import io.surge.cli.load.LoadOptions;
import io.surge.jobs.kafka.Topics;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.catalog.Catalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code surge load}: produces a workload of inference requests to Kafka, paced in real time. */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = "Produce InferenceRequests to the requests topic following a workload.")
final class LoadCommand implements Callable<Integer> {

  @Mixin KafkaClientOptions kafka = new KafkaClientOptions();

  @Option(
      names = "--workload",
      required = true,
      description =
          "poisson:rate=R | mmpp:rates=R1/R2[/R3],dwell=D1/D2[/D3] | flash:base=R,peak=P,every=S,len=S"
              + " | trace:FILE.csv[,rate=X][,speed=Y]")
  String workload;

  @Option(
      names = "--catalog",
      required = true,
      description = "Catalog YAML (services and input shapes)")
  Path catalog;

  @Option(names = "--topic-prefix", defaultValue = "", description = "Prefix of the requests topic")
  String prefix;

  @Option(
      names = "--duration",
      defaultValue = "60s",
      description = "How long to send, e.g. 60s, 2m (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Option(
      names = "--max-requests",
      defaultValue = "0",
      description = "Stop after this many (0 = no limit)")
  long maxRequests;

  @Option(names = "--services", split = ",", description = "Services to address (default: all)")
  List<String> services = List.of();

  @Option(
      names = "--deadline-ms",
      description = "Deadline of every request (default: the catalog's)")
  Integer deadlineMs;

  @Option(names = "--payload", description = "Send a random input tensor (default: null payload)")
  boolean payload;

  @Option(
      names = "--invalid-fraction",
      defaultValue = "0",
      description = "Fraction of deliberately invalid records")
  double invalidFraction;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the arrival process")
  long seed;

  @Override
  public Integer call() {
    Catalog cat = Catalog.load(catalog);
    LoadOptions options =
        LoadOptions.to(Topics.withPrefix(prefix).requests())
            .withServices(services)
            .withDeadlineMs(deadlineMs)
            .withPayload(payload)
            .withDuration(duration)
            .withMaxRequests(maxRequests)
            .withInvalidFraction(invalidFraction)
            .withSeed(seed)
            .withProgress(Duration.ofSeconds(5), System.out::println);
    LoadCounts counts =
        LoadGenerator.run(
            kafka.bootstrap,
            kafka.clientProperties(),
            cat,
            WorkloadSpec.parse(workload).newProcess(seed),
            options);
    System.out.printf(
        "sent %d valid + %d invalid requests in %.1f s (%d failed, max lag %.0f ms)%n",
        counts.valid(), counts.invalid(), counts.seconds(), counts.failed(), counts.maxLagMs());
    return counts.failed() == 0 ? 0 : 1;
  }
}
