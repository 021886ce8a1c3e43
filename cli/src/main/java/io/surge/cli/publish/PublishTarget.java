package io.surge.cli.publish;

import io.surge.jobs.config.JobConfig;
import io.surge.jobs.config.SurgeOptions;
import io.surge.jobs.kafka.Topics;
import io.surge.jobs.scheduler.InitialPolicy;
import io.surge.operators.policy.PolicyUpdateCheck;
import io.surge.policy.onnx.ShippedPolicies;
import io.surge.state.catalog.Catalog;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;

/**
 * The job a policy is published to, as its own configuration describes it: the catalog and
 * observation options the job's validator checks against, its size cap, its topics, its Kafka
 * client settings, and the version of the policy model it starts with (if any), which a published
 * version must exceed.
 */
public record PublishTarget(
    String bootstrap,
    Properties kafkaProperties,
    Topics topics,
    PolicyUpdateCheck check,
    long maxPolicyBytes,
    long initialVersion) {

  /**
   * From the job's YAML ({@code --config scheduler.yaml}); only the catalog is read from a file.
   *
   * @param bootstrap the Kafka cluster to reach from here (may differ from the job's address)
   * @param clientProperties client settings from the command line, over the job's pass-through ones
   */
  public static PublishTarget fromJobConfig(
      Path jobConfig, String bootstrap, Properties clientProperties) {
    Configuration config = JobConfig.fromArgs(new String[] {"--config", jobConfig.toString()});
    String catalogPath = config.get(SurgeOptions.CATALOG);
    if (catalogPath == null || catalogPath.isBlank()) {
      throw new IllegalArgumentException(
          jobConfig + " sets no " + SurgeOptions.CATALOG.key() + ": the checks need the catalog");
    }
    Properties kafka = JobConfig.kafkaProperties(config);
    kafka.putAll(clientProperties);
    return of(Catalog.load(Path.of(catalogPath)), config, bootstrap, kafka);
  }

  /** For a catalog at hand and the job's options (tests, the demo). */
  public static PublishTarget of(
      Catalog catalog, Configuration config, String bootstrap, Properties kafkaProperties) {
    long maxBytes = config.get(SurgeOptions.MAX_POLICY_BYTES);
    return new PublishTarget(
        bootstrap,
        kafkaProperties,
        Topics.withPrefix(config.get(SurgeOptions.TOPIC_PREFIX)),
        new PolicyUpdateCheck(catalog, config.get(SurgeOptions.HISTORY_LENGTH), maxBytes),
        maxBytes,
        initialVersion(config.get(SurgeOptions.INITIAL_POLICY)));
  }

  /**
   * The version of the job's initial policy model: the validator has taken it before anything on
   * the topic, so a published version must be newer. 0 for a heuristic, or a file not here.
   */
  private static long initialVersion(String initialPolicy) {
    if (initialPolicy == null
        || !(initialPolicy.endsWith(".onnx") || ShippedPolicies.isShipped(initialPolicy))) {
      return 0;
    }
    try {
      return InitialPolicy.update(initialPolicy, null).getVersion();
    } catch (RuntimeException e) {
      return 0; // the file is where the job was submitted, not here; the topic decides
    }
  }
}
