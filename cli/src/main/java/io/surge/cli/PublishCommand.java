package io.surge.cli;

import io.surge.cli.publish.PolicyPublisher;
import io.surge.cli.publish.PublishTarget;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code surge publish FILE.onnx --bootstrap B --config scheduler.yaml [--service S]} and {@code
 * surge publish --rollback}: a policy version onto the running job's policies topic, checked here
 * first with the job's own checks against the catalog and options of its configuration.
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Publish a policy model to the job's policies topic: checked first as the job checks it"
          + " (catalog and observation options from --config), stamped with the next version.",
      "--rollback publishes the previous good policy again under a new version."
    })
final class PublishCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "FILE.onnx",
      description = "The policy model (not with --rollback)")
  Path file;

  @Mixin KafkaClientOptions kafka = new KafkaClientOptions();

  @Mixin PolicyTargetOptions target = new PolicyTargetOptions();

  @Option(
      names = "--rollback",
      description = "Publish the previous good policy (of --service, or of all) again")
  boolean rollback;

  @Option(
      names = "--store",
      description =
          "Write the stamped model into this directory and publish a reference to it instead of"
              + " the bytes (needed above 1 MiB)")
  Path store;

  @Option(
      names = "--store-url",
      description =
          "The http(s) URL the --store directory is served under (default: its file:// URI)")
  String storeUrl;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (rollback == (file != null)) {
      throw new IllegalArgumentException("give either FILE.onnx or --rollback");
    }
    if (storeUrl != null && store == null) {
      throw new IllegalArgumentException("--store-url needs --store");
    }
    PolicyPublisher publisher =
        new PolicyPublisher(
            PublishTarget.fromJobConfig(target.config, kafka.bootstrap, kafka.clientProperties()));
    PolicyPublisher.Store into = store == null ? null : new PolicyPublisher.Store(store, storeUrl);
    PolicyPublisher.Published p =
        rollback
            ? publisher.rollback(target.service, into)
            : publisher.publish(file, target.service, into);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "published version %d (%s) for %s: sha256 %s, %d bytes %s; %s partition %d offset %d%n",
        p.update().getVersion(),
        p.update().getName(),
        target.service == null ? "every service" : "service " + target.service,
        p.update().getSha256(),
        p.modelBytes(),
        p.update().getModelUri() == null ? "inline" : "at " + p.update().getModelUri(),
        publisher.target().topics().policies(),
        p.partition(),
        p.offset());
    out.println(
        "the job takes it within a moment, or dead-letters it: see surge policies --bootstrap "
            + kafka.bootstrap);
    out.flush();
    return 0;
  }
}
