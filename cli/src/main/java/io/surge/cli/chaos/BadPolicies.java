package io.surge.cli.chaos;

import io.surge.cli.load.LoadGenerator;
import io.surge.jobs.config.SurgeOptions;
import io.surge.policy.onnx.PolicyFile;
import io.surge.policy.onnx.PolicyModelContract;
import io.surge.policy.onnx.PolicyRejectedException;
import io.surge.schema.DeadLetter;
import io.surge.schema.InferenceResult;
import io.surge.schema.PolicyUpdate;
import io.surge.schema.wire.AvroWire;
import io.surge.state.EstimatorSettings;
import io.surge.state.ObservationSpec;
import io.surge.state.ServiceTopology;
import io.surge.state.catalog.Catalog;
import io.surge.train.export.PolicyModelWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * R4 of issue 12: while valid requests flow, a sequence of bad policy updates on the {@code
 * policies} topic (garbage bytes, not ONNX, wrong SHA-256, wrong spec hash, wrong action count, NaN
 * outputs, oversized, then after one good update: older, replayed, version not the model's, unknown
 * service). Promises checked: each bad update exactly one dead letter with its reason; the good one
 * taken (results carry its version) and kept through the later bad ones; every request exactly one
 * result; in = results + dead letters; the job never restarted.
 */
public final class BadPolicies {

  /** What to send. */
  public record Options(int requests, double rate, long seed) {
    public static Options defaults() {
      return new Options(3_000, 400, 12);
    }
  }

  /** The version of the one good update. */
  static final long GOOD_VERSION = 7;

  /**
   * The job's policy size cap in this scenario: the default (16 MiB) is above what a producer sends
   * by default (1 MiB), so an oversized policy could not reach the validator.
   */
  static final int MAX_POLICY_BYTES = 256 * 1024;

  private final Options options;
  private final Consumer<String> log;

  public BadPolicies(Options options, Consumer<String> log) {
    this.options = options;
    this.log = log;
  }

  /** One policy record: what it is, what reason its dead letter must give (null: accepted). */
  private record Update(String what, byte[] value, String reason) {}

  public ChaosOutcome run(Path dir) throws Exception {
    String tag = "chaos-policies-" + Long.toHexString(System.currentTimeMillis());
    try (ChaosRig rig = new ChaosRig(dir, tag, log)) {
      Configuration jobOptions = rig.jobOptions();
      jobOptions.set(SurgeOptions.MAX_POLICY_BYTES, MAX_POLICY_BYTES);
      ServiceTopology topology = ServiceTopology.of(rig.catalog(), rig.service().name());
      ObservationSpec spec =
          ObservationSpec.of(
              topology,
              EstimatorSettings.defaults()
                  .withHistoryLength(jobOptions.get(SurgeOptions.HISTORY_LENGTH)));
      List<Update> updates = updates(topology, spec, topology.actionNames());
      rig.startJob(jobOptions);
      try (ChaosTally tally = rig.tally()) {
        Sent sent = send(rig, updates);
        return check(rig, tally, updates, sent);
      }
    }
  }

  /** The sequence: seven bad updates, the good one, four bad ones that only a later one can be. */
  private List<Update> updates(
      ServiceTopology topology, ObservationSpec spec, List<String> actions) {
    AvroWire<PolicyUpdate> wire = AvroWire.of(PolicyUpdate.class);
    List<Update> u = new ArrayList<>();
    byte[] garbage = new byte[512];
    new SplittableRandom(options.seed()).nextBytes(garbage);
    u.add(new Update("garbage bytes", garbage, "not a valid PolicyUpdate"));
    u.add(
        bad(
            wire,
            "not an ONNX model",
            update("not onnx".getBytes(StandardCharsets.UTF_8), GOOD_VERSION),
            "UNPARSEABLE"));
    byte[] good = model(spec, actions, GOOD_VERSION).toBytes();
    PolicyUpdate.Builder wrongSha =
        update(good, GOOD_VERSION)
            .setSha256(PolicyFile.sha256(model(spec, actions, GOOD_VERSION + 1).toBytes()));
    u.add(bad(wire, "wrong SHA-256", wrongSha, "sha256 of the model does not match"));
    ObservationSpec otherSpec =
        ObservationSpec.of(
            topology, EstimatorSettings.defaults().withHistoryLength(spec.historyLength() + 1));
    u.add(
        bad(
            wire,
            "wrong spec hash",
            update(model(otherSpec, actions, GOOD_VERSION).toBytes(), GOOD_VERSION),
            "SPEC_MISMATCH"));
    u.add(
        bad(
            wire,
            "wrong action count",
            update(
                model(spec, actions, GOOD_VERSION)
                    .metadata(
                        PolicyModelContract.ACTIONS,
                        String.join(",", actions.subList(0, actions.size() - 2)))
                    .toBytes(),
                GOOD_VERSION),
            "ACTION_MISMATCH"));
    u.add(
        bad(
            wire,
            "NaN-producing model",
            update(nanModel(spec, actions, GOOD_VERSION), GOOD_VERSION),
            "CANARY_FAILED"));
    u.add(
        bad(
            wire,
            "oversized model",
            update(oversized(spec, actions, GOOD_VERSION), GOOD_VERSION),
            "exceeds the limit of " + MAX_POLICY_BYTES));
    u.add(
        new Update(
            "GOOD (version " + GOOD_VERSION + ")", value(wire, update(good, GOOD_VERSION)), null));
    u.add(
        bad(
            wire,
            "older version",
            update(model(spec, actions, GOOD_VERSION - 2).toBytes(), GOOD_VERSION - 2),
            "version " + (GOOD_VERSION - 2) + " is not newer than the current " + GOOD_VERSION));
    u.add(
        bad(
            wire,
            "the good one replayed",
            update(good, GOOD_VERSION),
            "version " + GOOD_VERSION + " is not newer than the current " + GOOD_VERSION));
    u.add(
        bad(
            wire,
            "version not the model's surge.version",
            update(model(spec, actions, GOOD_VERSION + 2).toBytes(), GOOD_VERSION + 1),
            "update version "
                + (GOOD_VERSION + 1)
                + " but the model's surge.version is "
                + (GOOD_VERSION + 2)));
    u.add(
        bad(
            wire,
            "unknown service",
            update(model(spec, actions, GOOD_VERSION + 1).toBytes(), GOOD_VERSION + 1)
                .setService("no-such-service"),
            "unknown service 'no-such-service'"));
    return u;
  }

  private static Update bad(
      AvroWire<PolicyUpdate> wire, String what, PolicyUpdate.Builder update, String reason) {
    return new Update(what, value(wire, update), reason);
  }

  private static byte[] value(AvroWire<PolicyUpdate> wire, PolicyUpdate.Builder update) {
    return wire.serialize(update.build());
  }

  /** A policy that always picks the smallest variant (as the operator tests build them). */
  private static PolicyModelWriter model(ObservationSpec spec, List<String> actions, long version) {
    int actionCount = actions.size() + 1;
    float[] bias = new float[actionCount];
    for (int a = 1; a < actionCount; a++) {
      bias[a] = -100f;
    }
    return PolicyModelWriter.forSpec(spec, actions)
        .output(new float[spec.dimension() * actionCount], bias)
        .version(version)
        .trainedOn("chaos");
  }

  private static byte[] nanModel(ObservationSpec spec, List<String> actions, long version) {
    float[] bias = new float[spec.actionCount()];
    bias[1] = Float.NaN;
    return PolicyModelWriter.forSpec(spec, actions)
        .output(new float[spec.dimension() * spec.actionCount()], bias)
        .version(version)
        .trainedOn("chaos")
        .toBytes();
  }

  /** A well-formed model over {@link #MAX_POLICY_BYTES}: a wide hidden layer. */
  private static byte[] oversized(ObservationSpec spec, List<String> actions, long version) {
    int width = MAX_POLICY_BYTES / Float.BYTES / spec.dimension() + 1;
    return PolicyModelWriter.forSpec(spec, actions)
        .hidden(new float[spec.dimension() * width], new float[width])
        .output(new float[width * spec.actionCount()], new float[spec.actionCount()])
        .version(version)
        .trainedOn("chaos")
        .toBytes();
  }

  /** An update for every service carrying {@code model}, its metadata copied from the model. */
  private static PolicyUpdate.Builder update(byte[] model, long version) {
    Map<String, String> meta;
    try {
      meta = PolicyFile.of(model, Long.MAX_VALUE, null).metadata();
    } catch (PolicyRejectedException e) {
      meta = Map.of(); // deliberately broken bytes: the validator must say why
    }
    String actions = meta.getOrDefault(PolicyModelContract.ACTIONS, "");
    return PolicyUpdate.newBuilder()
        .setVersion(version)
        .setName("chaos-v" + version)
        .setService(null)
        .setCreatedAt(Instant.now())
        .setSpecHash(meta.getOrDefault(PolicyModelContract.SPEC_HASH, ""))
        .setActions(actions.isEmpty() ? List.of() : List.of(actions.split(",")))
        .setSha256(PolicyFile.sha256(model))
        .setModel(ByteBuffer.wrap(model))
        .setTrainedOn("chaos");
  }

  /** Where everything went: request ids with their send index, policy records' sources. */
  private record Sent(
      List<String> requestIds, int lastBadIndex, String[] policySources, double seconds) {}

  private Sent send(ChaosRig rig, List<Update> updates) throws Exception {
    int n = options.requests();
    // the updates spread over the first 70 % of the requests; the rest shows the policy stays
    int[] at = new int[updates.size()];
    for (int k = 0; k < at.length; k++) {
      at[k] = (int) ((k + 1) * 0.7 * n / (at.length + 1));
    }
    Catalog.Service service = rig.service();
    HostileKind.Builder requests =
        new HostileKind.Builder(
            rig.topics.requests(),
            service.name(),
            HostileInput.payload(service, options.seed()),
            Integer.MAX_VALUE,
            Integer.MAX_VALUE,
            options.seed());
    AvroWire<PolicyUpdate> wire = AvroWire.of(PolicyUpdate.class);
    String[] sources = new String[updates.size()];
    List<String> ids = new ArrayList<>(n);
    AtomicLong failed = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    log.accept(
        String.format(
            Locale.ROOT,
            "  sending %d requests at %.0f/s and %d policy updates among them",
            n,
            options.rate(),
            updates.size()));
    long start = System.nanoTime();
    Properties extra = new Properties();
    extra.put("max.request.size", String.valueOf(4 << 20));
    try (Producer<byte[], byte[]> producer =
        LoadGenerator.createProducer(rig.kafka.bootstrapServers(), extra)) {
      int next = 0;
      for (int i = 0; i < n; i++) {
        long due = start + (long) (i * 1e9 / options.rate());
        long wait = due - System.nanoTime();
        if (wait > 1_000_000) {
          Thread.sleep(wait / 1_000_000);
        }
        while (next < at.length && at[next] == i) {
          Update u = updates.get(next);
          ProducerRecord<byte[], byte[]> record =
              new ProducerRecord<>(
                  rig.topics.policies(),
                  0,
                  ("chaos-" + next).getBytes(StandardCharsets.UTF_8),
                  u.value());
          record.headers().add(new RecordHeader(AvroWire.SCHEMA_HEADER, wire.fingerprint()));
          int k = next;
          producer.send(
              record,
              (meta, e) -> {
                if (e != null) {
                  failed.incrementAndGet();
                  failure.compareAndSet(null, e);
                } else {
                  sources[k] = ChaosTally.source(meta.topic(), meta.partition(), meta.offset());
                }
              });
          log.accept(
              String.format(
                  Locale.ROOT,
                  "    t=%5.1f s  policy update %2d: %s",
                  (System.nanoTime() - start) / 1e9,
                  k + 1,
                  u.what()));
          next++;
        }
        String id = "chaos-p-" + i;
        ids.add(id);
        producer.send(
            requests.valid(id, Instant.now()),
            (meta, e) -> {
              if (e != null) {
                failed.incrementAndGet();
                failure.compareAndSet(null, e);
              }
            });
      }
      producer.flush();
    }
    if (failed.get() > 0) {
      throw new IllegalStateException(
          failed.get() + " records could not be sent: " + failure.get(), failure.get());
    }
    return new Sent(ids, at[at.length - 1], sources, (System.nanoTime() - start) / 1e9);
  }

  private ChaosOutcome check(ChaosRig rig, ChaosTally tally, List<Update> updates, Sent sent)
      throws Exception {
    long badCount = updates.stream().filter(u -> u.reason() != null).count();
    long in = sent.requestIds().size() + updates.size();
    log.accept(
        String.format(
            Locale.ROOT,
            "  sent %d requests and %d policy updates in %.1f s; waiting for them (read_committed)",
            sent.requestIds().size(),
            updates.size(),
            sent.seconds()));
    boolean complete =
        tally.await(
            () ->
                tally.resultRecords() >= sent.requestIds().size()
                    && tally.deadLetterRecords() >= badCount,
            rig.jobUnhealthy(),
            Duration.ofSeconds(120));
    ChaosRig.awaitFewMoreCheckpoints();
    ChaosRig.Health health = rig.health();

    long wrongReason = 0;
    long missingDead = 0;
    long duplicateDead = 0;
    long goodRejected = 0;
    log.accept("  policy updates -> dead letters:");
    for (int k = 0; k < updates.size(); k++) {
      Update u = updates.get(k);
      List<DeadLetter> letters = tally.deadLetters(sent.policySources()[k]);
      String got = letters.isEmpty() ? "no dead letter" : letters.get(0).getReason();
      if (u.reason() == null) {
        goodRejected += letters.size();
      } else if (letters.isEmpty()) {
        missingDead++;
      } else {
        duplicateDead += letters.size() - 1;
        if (!got.contains(u.reason())) {
          wrongReason++;
        }
      }
      log.accept(
          String.format(
              Locale.ROOT,
              "    %2d %-38s %d x \"%s\"",
              k + 1,
              u.what(),
              letters.size(),
              got.length() > 110 ? got.substring(0, 107) + "..." : got));
    }
    long unexpectedDead =
        tally.allDeadLetters().keySet().stream()
            .filter(s -> !List.of(sent.policySources()).contains(s))
            .count();

    long missing = 0;
    long duplicated = 0;
    long tailNotGood = 0;
    int tailFrom = (int) Math.max(sent.lastBadIndex() + 1, 0.85 * sent.requestIds().size());
    for (int i = 0; i < sent.requestIds().size(); i++) {
      List<InferenceResult> r = tally.results(sent.requestIds().get(i));
      missing += r.isEmpty() ? 1 : 0;
      duplicated += Math.max(0, r.size() - 1);
      if (i >= tailFrom && !r.isEmpty() && r.get(0).getPolicyVersion() != GOOD_VERSION) {
        tailNotGood++;
      }
    }
    long unexpectedResults = tally.allResults().size() - (sent.requestIds().size() - missing);
    Map<Long, Long> versions = tally.byPolicyVersion();
    long good = versions.getOrDefault(GOOD_VERSION, 0L);
    long otherVersions =
        versions.entrySet().stream()
            .filter(e -> e.getKey() != 0 && e.getKey() != GOOD_VERSION)
            .mapToLong(Map.Entry::getValue)
            .sum();
    // the good update ends in no record of its own: it is taken (and shows in the results)
    long accepted = updates.size() - badCount;
    long out = tally.resultRecords() + tally.deadLetterRecords() + accepted;
    log.accept(
        "  results per policy version: "
            + versions
            + " (0 = the greedy-slo fallback); per status: "
            + tally.byStatus());
    log.accept("  latency per status (SHED: creation to decision): " + tally.latencies());
    log.accept("  " + health.line());

    boolean passed =
        complete
            && in == out
            && missing == 0
            && duplicated == 0
            && unexpectedResults == 0
            && missingDead == 0
            && duplicateDead == 0
            && unexpectedDead == 0
            && wrongReason == 0
            && goodRejected == 0
            && good > 0
            && otherVersions == 0
            && tailNotGood == 0
            && tally.undecodable() == 0
            && health.healthy();
    String figures =
        String.format(
            Locale.ROOT,
            "in %d = results %d + dead letters %d + taken %d (%s); bad updates %d: missing %d, duplicated %d,"
                + " unexpected %d, wrong reason %d; good v%d: rejected %d, results %d, last"
                + " requests not on it %d, other versions %d; requests %d: missing %d, duplicated"
                + " %d, unexpected %d; %s",
            in,
            tally.resultRecords(),
            tally.deadLetterRecords(),
            accepted,
            in == out ? "equal" : "differ by " + (out - in),
            badCount,
            missingDead,
            duplicateDead,
            unexpectedDead,
            wrongReason,
            GOOD_VERSION,
            goodRejected,
            good,
            tailNotGood,
            otherVersions,
            sent.requestIds().size(),
            missing,
            duplicated,
            unexpectedResults,
            health.figures());
    return new ChaosOutcome(Scenario.BAD_POLICIES.cliName(), passed, figures);
  }
}
