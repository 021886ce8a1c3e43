package io.surge.cli.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.surge.cli.cluster.FlinkProcess;
import io.surge.cli.kafka.EmbeddedKafka;
import io.surge.cli.kafka.KafkaSecurity;
import io.surge.cli.results.ResultsReader;
import io.surge.jobs.config.JobConfig;
import io.surge.jobs.config.SurgeOptions;
import io.surge.schema.InferenceRequest;
import io.surge.schema.wire.AvroWire;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Secured Kafka (issue 12): the embedded broker's only client listener is SASL_SSL with
 * SCRAM-SHA-512 (a self-signed certificate and the SCRAM user made at runtime). The job, {@code
 * surge load} and the readers ({@code surge report} and the scenario's own {@code read_committed}
 * tally) get the security settings only from the job's YAML, as {@code surge.kafka.properties.*}
 * ({@code --kafka-config scheduler.yaml} for the commands, which run as child JVMs). Promises
 * checked: every request the load sent has exactly one result, the report read them all, and no log
 * line of this JVM (the broker, the job on its MiniCluster, the tally; every logger at INFO) nor
 * any output line of the two commands (their loggers at INFO too) contains the SCRAM password or a
 * keystore or truststore password.
 */
public final class SecuredKafka {

  /** How many requests {@code surge load} sends, and how fast. */
  public record Options(int requests, double rate) {
    public static Options defaults() {
      return new Options(2000, 100);
    }
  }

  private static final Pattern SENT = Pattern.compile("sent (\\d+) valid \\+ (\\d+) invalid");
  private static final Pattern READ = Pattern.compile("(\\d+) records read");
  private static final String HIDDEN = "[hidden]";

  private final Options options;
  private final Consumer<String> log;

  public SecuredKafka(Options options, Consumer<String> log) {
    this.options = options;
    this.log = log;
  }

  public ChaosOutcome run(Path dir) throws Exception {
    String tag = "chaos-secured-" + Long.toHexString(System.currentTimeMillis());
    LogCapture capture = LogCapture.start();
    try {
      KafkaSecurity security = KafkaSecurity.generate(dir.resolve("tls"));
      log.accept("  made a self-signed certificate for 127.0.0.1, a truststore and a SCRAM user");
      try (ChaosRig rig =
          new ChaosRig(
              dir,
              tag,
              log,
              ChaosRig::defaultServers,
              () -> EmbeddedKafka.startSecured(security))) {
        capture.lowerToInfo();
        Path jobYaml = writeJobYaml(dir.resolve("scheduler.yaml"), rig, security);
        Configuration jobOptions = rig.jobOptions();
        jobOptions.addAll(JobConfig.fromArgs(new String[] {"--config", jobYaml.toString()}));
        Properties client = JobConfig.kafkaProperties(jobOptions);
        log.accept(
            "  broker: SASL_SSL/"
                + KafkaSecurity.MECHANISM
                + " only; the job, surge load and the readers read "
                + client.size()
                + " surge.kafka.properties.* keys from "
                + jobYaml.getFileName());
        rig.startJob(jobOptions);
        Path catalog = dir.resolve("catalog.yaml");
        Files.writeString(catalog, rig.catalog().toYaml());
        Set<String> sentIds = new HashSet<>();
        try (ChaosTally tally = rig.tally(client);
            ResultsReader requests = requestIds(rig, client, sentIds)) {
          Commands commands = new Commands(dir, rig, jobYaml);
          FlinkProcess load = commands.load(catalog, options);
          int loadExit = load.awaitExit(Math.round(options.requests() / options.rate()) + 120);
          long sent = matchedNumber(SENT, load.output());
          log.accept(
              String.format(
                  Locale.ROOT, "  surge load (a child JVM): exit %d, sent %d", loadExit, sent));
          boolean complete =
              requests.await(() -> idCount(sentIds) >= sent, () -> false, Duration.ofSeconds(60))
                  && tally.await(
                      () -> tally.distinctResultIds() >= sent,
                      () -> false,
                      Duration.ofSeconds(120));
          ChaosRig.awaitFewMoreCheckpoints();
          FlinkProcess report = commands.report();
          int reportExit = report.awaitExit(120);
          long reportRead = matchedNumber(READ, report.output());
          log.accept(
              String.format(
                  Locale.ROOT,
                  "  surge report (a child JVM): exit %d, read %d results",
                  reportExit,
                  reportRead));
          ChaosRig.Health health = rig.health();
          String restConfig = jobConfigOverRest(rig);
          capture.close();
          List<String> texts = new ArrayList<>(capture.lines());
          texts.addAll(load.output().lines().toList());
          texts.addAll(report.output().lines().toList());
          return check(
              security,
              texts,
              restConfig,
              new Run(
                  sent,
                  idCount(sentIds),
                  loadExit,
                  reportExit,
                  reportRead,
                  complete,
                  countExact(tally, sentIds),
                  tally.deadLetterRecords(),
                  health),
              capture.lines().size());
        }
      }
    } finally {
      capture.close();
    }
  }

  /** What the scenario saw, for the check. */
  private record Run(
      long sent,
      long requestIds,
      int loadExit,
      int reportExit,
      long reportRead,
      boolean complete,
      ChaosLoad.Counts counts,
      long deadLetters,
      ChaosRig.Health health) {}

  /**
   * The job's configuration as Flink's REST API serves it (the web UI shows it): not a log line,
   * but the same secrets pass through it.
   */
  private String jobConfigOverRest(ChaosRig rig) {
    try {
      return rig.rest().get("/jobs/" + rig.jobId() + "/jobmanager/config").toString();
    } catch (Exception e) {
      log.accept("  the job's configuration over REST could not be read: " + e);
      return "";
    }
  }

  private ChaosOutcome check(
      KafkaSecurity security, List<String> texts, String restConfig, Run run, int jvmLines) {
    long withSecret = 0;
    long hidden = 0;
    String firstLeak = null;
    for (String text : texts) {
      for (String secret : security.secrets()) {
        if (text.contains(secret)) {
          withSecret++;
          firstLeak = firstLeak == null ? text.lines().findFirst().orElse("") : firstLeak;
          break;
        }
      }
      hidden += text.contains(HIDDEN) ? 1 : 0;
    }
    boolean restLeaks = security.secrets().stream().anyMatch(restConfig::contains);
    log.accept(
        String.format(
            Locale.ROOT,
            "  the job's configuration over REST (%d chars): %s",
            restConfig.length(),
            restLeaks ? "holds a secret" : "no secret"));
    log.accept(
        String.format(
            Locale.ROOT,
            "  log lines read: %d (this JVM, every logger at INFO) + %d (the two commands);"
                + " lines showing a password as %s: %d",
            jvmLines,
            texts.size() - jvmLines,
            HIDDEN,
            hidden));
    if (firstLeak != null) {
      log.accept(
          "  first line with a secret (secret not printed): " + firstLeak.length() + " chars");
    }
    boolean passed =
        run.loadExit() == 0
            && run.reportExit() == 0
            && run.sent() == options.requests()
            && run.requestIds() == run.sent()
            && run.complete()
            && run.counts().exact()
            && run.reportRead() == run.sent()
            && run.deadLetters() == 0
            && withSecret == 0
            && !restLeaks
            && hidden > 0
            && run.health().healthy();
    String figures =
        String.format(
            Locale.ROOT,
            "SASL_SSL/%s; surge load sent %d (exit %d); %s; report read %d (exit %d); dead"
                + " letters %d; log lines %d, with a secret %d, passwords shown %s %d; REST job"
                + " configuration with a secret %s; %s",
            KafkaSecurity.MECHANISM,
            run.sent(),
            run.loadExit(),
            run.counts().line(),
            run.reportRead(),
            run.reportExit(),
            run.deadLetters(),
            texts.size(),
            withSecret,
            HIDDEN,
            hidden,
            restLeaks ? "yes" : "no",
            run.health().figures());
    return new ChaosOutcome(Scenario.SECURED_KAFKA.cliName(), passed, figures);
  }

  /**
   * The job's YAML as an operator writes it: bootstrap, topics and the client security settings as
   * {@code surge.kafka.properties.*}; readable by its owner only, since it holds the secrets.
   */
  private static Path writeJobYaml(Path file, ChaosRig rig, KafkaSecurity security)
      throws IOException {
    Map<String, String> yaml = new LinkedHashMap<>();
    yaml.put(SurgeOptions.BOOTSTRAP_SERVERS.key(), rig.kafka.bootstrapServers());
    yaml.put(SurgeOptions.TOPIC_PREFIX.key(), rig.topics.prefix());
    security
        .clientProperties()
        .forEach((k, v) -> yaml.put(SurgeOptions.KAFKA_PROPERTIES_PREFIX + k, String.valueOf(v)));
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    new ObjectMapper(new YAMLFactory()).writeValue(file.toFile(), yaml);
    return file;
  }

  /** Reads the request ids on the requests topic (what {@code surge load} actually sent). */
  private static ResultsReader requestIds(ChaosRig rig, Properties client, Set<String> ids) {
    AvroWire<InferenceRequest> wire = AvroWire.of(InferenceRequest.class);
    return new ResultsReader(
        rig.kafka.bootstrapServers(),
        client,
        List.of(rig.topics.requests()),
        "chaos-requests",
        (records, arrived) -> {
          synchronized (ids) {
            for (ConsumerRecord<byte[], byte[]> r : records) {
              try {
                ids.add(ResultsReader.decode(wire, r).getRequestId().toString());
              } catch (AvroWire.InvalidRecordException e) {
                ids.add("undecodable " + r.partition() + "@" + r.offset()); // counted, fails
              }
            }
          }
        });
  }

  private static long idCount(Set<String> ids) {
    synchronized (ids) {
      return ids.size();
    }
  }

  private static ChaosLoad.Counts countExact(ChaosTally tally, Set<String> sentIds) {
    synchronized (sentIds) {
      return ChaosLoad.count(List.copyOf(sentIds), tally);
    }
  }

  private static long matchedNumber(Pattern pattern, String output) {
    Matcher m = pattern.matcher(output);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** {@code surge load} and {@code surge report} as child JVMs on this JVM's classpath. */
  private static final class Commands {
    private final Path dir;
    private final ChaosRig rig;
    private final Path jobYaml;
    private final Path log4j;

    Commands(Path dir, ChaosRig rig, Path jobYaml) throws IOException {
      this.dir = dir;
      this.rig = rig;
      this.jobYaml = jobYaml;
      this.log4j = dir.resolve("log4j2-info.properties");
      Files.writeString(
          log4j,
          String.join(
              "\n",
              "rootLogger.level = INFO",
              "rootLogger.appenderRef.console.ref = console",
              "appender.console.type = Console",
              "appender.console.name = console",
              "appender.console.target = SYSTEM_ERR",
              "appender.console.layout.type = PatternLayout",
              "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1} - %m%n",
              ""),
          StandardCharsets.UTF_8);
    }

    FlinkProcess load(Path catalog, Options options) {
      return surge(
          "surge-load",
          "load",
          "--bootstrap",
          rig.kafka.bootstrapServers(),
          "--kafka-config",
          jobYaml.toString(),
          "--catalog",
          catalog.toString(),
          "--topic-prefix",
          rig.topics.prefix(),
          "--workload",
          String.format(Locale.ROOT, "poisson:rate=%s", options.rate()),
          "--max-requests",
          String.valueOf(options.requests()),
          "--duration",
          Math.round(options.requests() / options.rate() * 3 + 30) + "s",
          "--deadline-ms",
          String.valueOf(ChaosRig.DEADLINE_MS),
          "--seed",
          "12");
    }

    FlinkProcess report() {
      return surge(
          "surge-report",
          "report",
          "--bootstrap",
          rig.kafka.bootstrapServers(),
          "--kafka-config",
          jobYaml.toString(),
          "--topic-prefix",
          rig.topics.prefix(),
          "--out",
          dir.resolve("report").toString());
    }

    private FlinkProcess surge(String name, String... args) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.surge.schema");
      command.add("-Dlog4j2.configurationFile=" + log4j);
      command.add("-Djava.awt.headless=true");
      command.add("io.surge.cli.SurgeCli");
      command.addAll(List.of(args));
      return FlinkProcess.start(
          name, command, Map.of("CLASSPATH", System.getProperty("java.class.path")), dir, dir);
    }
  }
}
