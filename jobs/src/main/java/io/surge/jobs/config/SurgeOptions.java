package io.surge.jobs.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.surge.policy.onnx.OnnxPolicy;
import io.surge.policy.onnx.PolicyFile;
import io.surge.state.EstimatorSettings;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;

/** Typed options of the scheduling job: the {@code surge.*} keys of {@code scheduler.yaml}. */
public final class SurgeOptions {

  private SurgeOptions() {}

  public static final ConfigOption<String> BOOTSTRAP_SERVERS =
      key("surge.kafka.bootstrap-servers")
          .stringType()
          .defaultValue("127.0.0.1:9092")
          .withDescription("Kafka bootstrap servers of every topic.");

  /**
   * Prefix of Kafka client properties passed through unchanged to every source and sink, e.g.
   * {@code surge.kafka.properties.security.protocol: SASL_SSL}.
   */
  public static final String KAFKA_PROPERTIES_PREFIX = "surge.kafka.properties.";

  public static final ConfigOption<String> TOPIC_PREFIX =
      key("surge.topics.prefix")
          .stringType()
          .defaultValue("")
          .withDescription("Prefix of every topic name (e.g. a tenant or test run).");

  public static final ConfigOption<String> GROUP_ID =
      key("surge.kafka.group-id")
          .stringType()
          .defaultValue("surge-scheduler")
          .withDescription("Consumer group of the job's sources (offsets live in checkpoints).");

  public static final ConfigOption<String> CATALOG =
      key("surge.catalog")
          .stringType()
          .noDefaultValue()
          .withDescription("Path of the catalog YAML (services, variants, servers).");

  public static final ConfigOption<String> PROFILE =
      key("surge.profile")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Path of the latency profile JSON used by greedy-slo and the observation.");

  public static final ConfigOption<String> INITIAL_POLICY =
      key("surge.policy.initial")
          .stringType()
          .defaultValue("greedy-slo")
          .withDescription(
              "Policy used until one arrives on the policies topic: a baseline name"
                  + " (largest, smallest, greedy-slo, threshold, proteus-like, fixed:VARIANT), learned (the"
                  + " policy model shipped in deploy/policies/default.onnx) or the path of a"
                  + " policy ONNX file.");

  public static final ConfigOption<OnnxPolicy.Mode> POLICY_MODE =
      key("surge.policy.mode")
          .enumType(OnnxPolicy.Mode.class)
          .defaultValue(OnnxPolicy.Mode.ARGMAX)
          .withDescription(
              "How a policy model's probabilities become a decision: ARGMAX (the most probable"
                  + " allowed action; what surge evaluate's headline and the policy guard score, and"
                  + " better than sampling for the shipped policy on every scenario), SAMPLE (one"
                  + " draw per request, seeded by the request id: exploration for learning from the"
                  + " experience topic) or EPSILON_GREEDY (the argmax, but 5% of the requests"
                  + " sampled, logged with the mixture's probability: a little exploration).");

  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      key("surge.checkpoint.interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(5))
          .withDescription(
              "Checkpoint interval; results become visible to read_committed readers one checkpoint later.");

  public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
      key("surge.kafka.transaction-timeout")
          .durationType()
          .defaultValue(Duration.ofMinutes(10))
          .withDescription(
              "transaction.timeout.ms of the exactly-once sinks: above checkpoint + restart time,"
                  + " below the broker's transaction.max.timeout.ms (15 min by default).");

  public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
      key("surge.kafka.transactional-id-prefix")
          .stringType()
          .defaultValue("surge-scheduler")
          .withDescription("Transactional id prefix of the exactly-once sinks; unique per job.");

  public static final ConfigOption<TransactionNamingStrategy> TRANSACTION_NAMING =
      key("surge.kafka.transaction-naming")
          .enumType(TransactionNamingStrategy.class)
          .defaultValue(TransactionNamingStrategy.POOLING)
          .withDescription(
              "How the exactly-once sinks name their Kafka transactions. POOLING reuses a few"
                  + " transactional ids per subtask; INCREMENTING (the connector's default) names a"
                  + " new one per checkpoint, and the broker keeps each for"
                  + " transactional.id.expiration.ms (7 days). POOLING needs Kafka 3.0+ and the"
                  + " right to list transactions; switching from POOLING back to INCREMENTING is"
                  + " not supported by the connector.");

  public static final ConfigOption<Duration> COMPLETIONS_LINGER =
      key("surge.kafka.completions-linger")
          .durationType()
          .defaultValue(Duration.ZERO)
          .withDescription(
              "How long the completions producer waits to fill a batch (Kafka's linger.ms). The"
                  + " scheduler learns of each completion up to this much later. 0 (the default)"
                  + " sends as soon as it can: a produce request, and a fetch by the scheduler's"
                  + " consumer, every few completions; 1-2 ms cuts those requests where a busy"
                  + " broker costs more than the feedback delay.");

  public static final ConfigOption<Integer> INVOKER_CAPACITY =
      key("surge.invoker.capacity")
          .intType()
          .defaultValue(512)
          .withDescription(
              "In-flight inference calls per invoker subtask (the backpressure bound).");

  public static final ConfigOption<Integer> MICRO_BATCH_MAX_ROWS =
      key("surge.invoker.micro-batch.max-rows")
          .intType()
          .defaultValue(16)
          .withDescription(
              "Micro-batched calls: dispatches for the same model on the same server go out as one"
                  + " KServe v2 call of up to this many rows (at most the models' max_batch_size);"
                  + " 1 sends one call per dispatch.");

  public static final ConfigOption<Duration> MICRO_BATCH_WINDOW =
      key("surge.invoker.micro-batch.window")
          .durationType()
          .defaultValue(Duration.ofMillis(1))
          .withDescription(
              "How long the first dispatch of a micro-batched call waits for others before the"
                  + " call leaves (earlier when it is full).");

  public static final ConfigOption<Boolean> OVERLOAD_TRIPS_BREAKER =
      key("surge.invoker.overload-trips-breaker")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Whether call timeouts and 503 queue timeouts count as server faults for the"
                  + " circuit breaker. Off: overload ends LATE and is left to the scheduling policy;"
                  + " only unreachable servers, other 5xx and invalid answers open the breaker.");

  public static final ConfigOption<Integer> MAX_PAYLOAD_BYTES =
      key("surge.requests.max-payload-bytes")
          .intType()
          .defaultValue(4 * 1024 * 1024)
          .withDescription("Requests with a larger payload are dead-lettered.");

  public static final ConfigOption<Duration> MAX_DEADLINE =
      key("surge.requests.max-deadline")
          .durationType()
          .defaultValue(Duration.ofSeconds(10))
          .withDescription(
              "Requests with a longer deadline are dead-lettered; sizes the invoker's backstop timeout.");

  public static final ConfigOption<Duration> STATE_TTL =
      key("surge.state.ttl")
          .durationType()
          .defaultValue(Duration.ofHours(1))
          .withDescription("Time-to-live of per-service and per-request keyed state.");

  public static final ConfigOption<Double> REWARD_SHED =
      key("surge.reward.shed")
          .doubleType()
          .defaultValue(0.0)
          .withDescription("Reward of a shed request: 0 (a wrong answer) or a negative penalty.");

  public static final ConfigOption<Double> REWARD_LATE =
      key("surge.reward.late")
          .doubleType()
          .defaultValue(0.0)
          .withDescription(
              "Reward of a request answered or timed out after its deadline: 0 (late counts as"
                  + " wrong) or a negative penalty.");

  public static final ConfigOption<Double> REWARD_FAILED =
      key("surge.reward.failed")
          .doubleType()
          .defaultValue(0.0)
          .withDescription("Reward of a request whose call failed: 0 or a negative penalty.");

  public static final ConfigOption<Integer> MAX_POLICY_BYTES =
      key("surge.policy.max-bytes")
          .intType()
          .defaultValue((int) PolicyFile.DEFAULT_MAX_BYTES)
          .withDescription("Policy models larger than this are rejected.");

  public static final ConfigOption<Integer> HISTORY_LENGTH =
      key("surge.observation.history")
          .intType()
          .defaultValue(EstimatorSettings.defaults().historyLength())
          .withDescription(
              "Past observations stacked into each observation (frame stacking); a policy model"
                  + " must have been trained with the same number (the shipped one: 0).");
}
