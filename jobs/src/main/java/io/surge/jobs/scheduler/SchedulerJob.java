package io.surge.jobs.scheduler;

import io.surge.jobs.config.JobConfig;
import io.surge.jobs.config.SurgeOptions;
import io.surge.operators.invoke.InferenceInvoker;
import io.surge.operators.invoke.InvokerSettings;
import io.surge.operators.invoke.InvokerStage;
import io.surge.operators.kafka.RawRecord;
import io.surge.operators.policy.PolicyValidationFunction;
import io.surge.operators.scheduler.SchedulerFunction;
import io.surge.operators.scheduler.SchedulerInputs;
import io.surge.operators.scheduler.SchedulerOutputs;
import io.surge.operators.scheduler.SchedulerState;
import io.surge.operators.validate.DeadLetters;
import io.surge.operators.validate.RequestValidationFunction;
import io.surge.schema.Dispatch;
import io.surge.schema.InferenceRequest;
import io.surge.schema.InferenceResult;
import io.surge.schema.PolicyUpdate;
import io.surge.schema.SchedulerInput;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The scheduling job users submit to their Flink cluster:
 *
 * <pre>flink run -c io.surge.jobs.scheduler.SchedulerJob surge-job.jar --config scheduler.yaml
 * </pre>
 *
 * requests -> validate -> keyBy(service) -> scheduler (policy broadcast) -> async invoker ->
 * results (exactly-once) + completions (fast loop back into the scheduler); transitions to
 * experience; every bad record to dead-letters.
 */
public final class SchedulerJob {

  /** How long a partly filled network buffer may wait: requests carry millisecond deadlines. */
  public static final Duration NETWORK_BUFFER_TIMEOUT = Duration.ofMillis(1);

  private SchedulerJob() {}

  public static void main(String[] args) throws Exception {
    Configuration config;
    SchedulerSettings settings;
    try {
      config = JobConfig.fromArgs(args);
      settings = settingsAtSubmit(config);
      List<String> unprofiled = unprofiledServers(settings.catalog(), settings.profile());
      if (!unprofiled.isEmpty()) {
        System.err.println(
            "surge-scheduler: warning: servers "
                + String.join(", ", unprofiled)
                + " are not in the profile "
                + config.get(SurgeOptions.PROFILE)
                + ": their latency is predicted from another server's (surge profile"
                + " --server-name NAME measures one)");
      }
    } catch (IllegalArgumentException | UncheckedIOException e) {
      // a configuration error at submit time is one line for the user, not Flink's stack trace
      System.err.println(
          "surge-scheduler: configuration error: " + e.getMessage().lines().findFirst().orElse(""));
      System.exit(2);
      return;
    }
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(jobConfiguration(config));
    defineWorkflow(env, new KafkaSchedulerJobIo(config), settings);
    env.execute("surge-scheduler");
  }

  /** The catalog's servers of which the profile has no measurement. */
  static List<String> unprofiledServers(Catalog catalog, LatencyProfile profile) {
    Set<String> profiled = new HashSet<>();
    profile.entries().forEach(e -> profiled.add(e.server()));
    return catalog.servers().stream()
        .map(Catalog.Server::name)
        .filter(name -> !profiled.contains(name))
        .toList();
  }

  /**
   * The settings, read where the job is submitted (the catalog and profile are files on the client,
   * or in the image in application mode).
   *
   * @throws IllegalArgumentException with a one-line message naming the option to fix
   */
  static SchedulerSettings settingsAtSubmit(Configuration config) {
    try {
      return SchedulerSettings.from(config);
    } catch (UncheckedIOException e) {
      throw new IllegalArgumentException(
          e.getMessage().lines().findFirst().orElse("")
              + " (read where the job is submitted; set --"
              + SurgeOptions.CATALOG.key()
              + " and --"
              + SurgeOptions.PROFILE.key()
              + ")",
          e);
    }
  }

  /**
   * Settings the job must carry itself: a cluster's config.yaml does not apply them to a
   * REST-submitted job.
   */
  public static Configuration jobConfiguration(Configuration config) {
    Configuration job = new Configuration(config);
    job.set(
        CheckpointingOptions.CHECKPOINTING_INTERVAL, config.get(SurgeOptions.CHECKPOINT_INTERVAL));
    job.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    job.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
    job.set(PipelineOptions.GENERIC_TYPES, false);
    if (!config.contains(ExecutionOptions.BUFFER_TIMEOUT)) {
      // Flink ships a network buffer when it is full or after 100 ms by default: a request would
      // wait up to 100 ms at the keyBy before the scheduler sees it, a whole 100 ms deadline
      job.set(ExecutionOptions.BUFFER_TIMEOUT, NETWORK_BUFFER_TIMEOUT);
    }
    if (!config.contains(RestartStrategyOptions.RESTART_STRATEGY)) {
      job.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
      job.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
    }
    return job;
  }

  /** The whole graph, with sources and sinks passed in so tests can swap them. */
  public static void defineWorkflow(
      StreamExecutionEnvironment env, SchedulerJobIo io, SchedulerSettings settings) {
    // Chained operators pass records by reference instead of deep-copying each Avro record at every
    // hand-off (a copy per request per edge). Safe because every function of this graph builds new
    // records and neither keeps nor changes the ones it is given; a new function must do the same.
    // The async invoker still copies its input, which it holds while the call is in flight.
    env.getConfig().enableObjectReuse();
    SingleOutputStreamOperator<InferenceRequest> requests =
        io.requests(env)
            .process(
                new RequestValidationFunction(
                    settings.catalog(),
                    settings.maxPayloadBytes(),
                    (int) settings.maxDeadline().toMillis()))
            .uid(SchedulerUids.VALIDATE_REQUESTS)
            .name("validate requests");

    SingleOutputStreamOperator<SchedulerInput> completions =
        io.completions(env)
            .process(new SchedulerInputs.FromCompletionRecord())
            .uid(SchedulerUids.DECODE_COMPLETIONS)
            .name("decode completions");

    SingleOutputStreamOperator<PolicyUpdate> policies =
        policyRecords(env, io, settings)
            .keyBy(r -> PolicyValidationFunction.KEY)
            .process(
                new PolicyValidationFunction(
                    settings.catalog(), settings.historyLength(), settings.maxPolicyBytes()))
            .uid(SchedulerUids.VALIDATE_POLICIES)
            .name("validate policies")
            .setParallelism(1);
    BroadcastStream<PolicyUpdate> policyBroadcast = policies.broadcast(SchedulerState.POLICIES);

    SingleOutputStreamOperator<Dispatch> dispatches =
        requests
            .map(new SchedulerInputs.FromRequest())
            .uid(SchedulerUids.TO_SCHEDULER_INPUT)
            .name("to scheduler input")
            .union(completions)
            .keyBy(new SchedulerInputs.ByService())
            .connect(policyBroadcast)
            .process(
                new SchedulerFunction(
                    settings.catalog(),
                    settings.profile(),
                    settings.fallbackPolicy(),
                    settings.historyLength(),
                    settings.rewards().shed(),
                    settings.stateTtl(),
                    settings.maxPolicyBytes(),
                    settings.policyMode()))
            .uid(SchedulerUids.SCHEDULER)
            .name("scheduler");

    SingleOutputStreamOperator<InferenceResult> served =
        InvokerStage.apply(
                dispatches,
                new InferenceInvoker(
                    settings.calls(),
                    InvokerSettings.defaults()
                        .withRewards(settings.rewards())
                        .withTimeoutsTripBreaker(settings.overloadTripsBreaker())),
                settings.maxDeadline(),
                settings.invokerCapacity())
            .uid(SchedulerUids.INVOKER)
            .name("inference invoker");

    io.results(served.union(dispatches.getSideOutput(SchedulerOutputs.SHED)));
    io.completions(
        served
            .flatMap(new SchedulerInputs.ToCompletion())
            .uid(SchedulerUids.TO_COMPLETION)
            .name("to completion"));
    io.experience(dispatches.getSideOutput(SchedulerOutputs.TRANSITIONS));
    io.deadLetters(
        requests
            .getSideOutput(DeadLetters.TAG)
            .union(
                completions.getSideOutput(DeadLetters.TAG),
                policies.getSideOutput(DeadLetters.TAG)));
  }

  /** The policies topic, plus the initial policy file when one is configured. */
  private static DataStream<RawRecord> policyRecords(
      StreamExecutionEnvironment env, SchedulerJobIo io, SchedulerSettings settings) {
    DataStream<RawRecord> topic = io.policies(env);
    if (!settings.isPolicyModel()) {
      return topic;
    }
    return topic.union(
        env.fromData(InitialPolicy.record(settings))
            .uid(SchedulerUids.INITIAL_POLICY)
            .name("initial policy"));
  }
}
