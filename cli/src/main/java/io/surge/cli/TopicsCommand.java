package io.surge.cli;

import io.surge.jobs.kafka.Topics;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code surge topics create}: the job's topics with their settings, on a real cluster. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "Manage Surge's Kafka topics.",
    subcommands = {TopicsCommand.Create.class})
final class TopicsCommand {

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Create requests, completions, policies, results, experience and dead-letters"
              + " (existing topics are left as they are).")
  static final class Create implements Callable<Integer> {

    @Mixin KafkaClientOptions kafka = new KafkaClientOptions();

    @Option(names = "--prefix", defaultValue = "", description = "Prefix of every topic name")
    String prefix;

    @Option(
        names = "--partitions",
        defaultValue = "4",
        description = "Partitions per topic (policies has 1)")
    int partitions;

    @Option(
        names = "--replication-factor",
        description = "Replication factor (default: the broker's)")
    Short replication;

    @Override
    public Integer call() {
      Topics topics = Topics.withPrefix(prefix).withPartitions(partitions);
      if (replication != null) {
        topics = topics.withReplicationFactor(replication);
      }
      try (Admin admin = Admin.create(kafka.adminProperties())) {
        Topics.Created result = topics.createAll(admin);
        result.created().forEach(t -> System.out.println("created  " + t));
        result.existing().forEach(t -> System.out.println("existing " + t));
      }
      return 0;
    }
  }
}
