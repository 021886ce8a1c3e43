package io.surge.cli;

import io.surge.cli.publish.PolicyTopic;
import io.surge.cli.publish.PublishedPolicy;
import io.surge.jobs.kafka.Topics;
import io.surge.schema.PolicyUpdate;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code surge policies --bootstrap B}: the policy versions on the topic and the job's verdicts.
 */
@Command(
    name = "policies",
    mixinStandardHelpOptions = true,
    description =
        "List the policy versions on the policies topic: version, service, name, trained on,"
            + " SHA-256, and accepted or why rejected (from the dead letters, which show one"
            + " checkpoint after the job read the update).")
final class PoliciesCommand implements Callable<Integer> {

  @Mixin KafkaClientOptions kafka = new KafkaClientOptions();

  @Option(names = "--topic-prefix", defaultValue = "", description = "The job's topic prefix")
  String prefix;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Topics topics = Topics.withPrefix(prefix);
    List<PublishedPolicy> policies =
        PolicyTopic.read(
            kafka.bootstrap, kafka.clientProperties(), topics.policies(), topics.deadLetters());
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "%-7s %-20s %-34s %-24s %-64s %s%n",
        "version", "service", "name", "trained on", "sha256", "verdict");
    for (PublishedPolicy p : policies) {
      PolicyUpdate u = p.update();
      if (u == null) {
        out.printf(
            "%-7s %-20s %-34s %-24s %-64s %s%n",
            "?", "?", "(unreadable record at offset " + p.offset() + ")", "", "", verdict(p));
        continue;
      }
      out.printf(
          "%-7d %-20s %-34s %-24s %-64s %s%n",
          u.getVersion(),
          u.getService() == null ? "(all)" : u.getService(),
          cut(u.getName() + (u.getModelUri() == null ? "" : " [ref]"), 34),
          cut(u.getTrainedOn() == null ? "" : u.getTrainedOn(), 24),
          u.getSha256(),
          verdict(p));
    }
    out.println(policies.size() + " policy record(s) on " + topics.policies());
    out.flush();
    return 0;
  }

  private static String verdict(PublishedPolicy p) {
    if (p.rejection() != null) {
      return "REJECTED: " + p.rejection();
    }
    return p.update() == null ? "unreadable (no dead letter yet)" : "accepted";
  }

  private static String cut(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 3) + "...";
  }
}
