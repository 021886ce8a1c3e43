package io.surge.cli.chaos;

import io.surge.jobs.config.SurgeOptions;
import io.surge.schema.DeadLetter;
import io.surge.schema.InferenceResult;
import io.surge.schema.Tensor;
import io.surge.state.catalog.Catalog;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * R2 of issue 12: malformed records of every {@link HostileKind} mixed at random positions into
 * valid requests, on the real broker against the real job. Promises checked: in = results + dead
 * letters exactly; each valid id exactly one result; each invalid record exactly one dead letter
 * (matched by its topic, partition and offset) with its reason; the job never restarted.
 */
public final class HostileInput {

  /** What to send. */
  public record Options(int valid, int malformed, double rate, long seed) {
    public static Options defaults() {
      return new Options(10_000, 1_000, 400, 12);
    }
  }

  private final Options options;
  private final Consumer<String> log;

  public HostileInput(Options options, Consumer<String> log) {
    this.options = options;
    this.log = log;
  }

  /** An expected input: a result for a request id, or a dead letter for a source record. */
  private record Sent(HostileKind kind, String id, String source) {}

  public ChaosOutcome run(Path dir) throws Exception {
    String tag = "chaos-hostile-" + Long.toHexString(System.currentTimeMillis());
    try (ChaosRig rig = new ChaosRig(dir, tag, log)) {
      Catalog.Service service = rig.service();
      Tensor payload = payload(service, options.seed());
      int payloadBytes = payload.getData().remaining();
      // Kafka refuses records over ~1 MB by default, far below the job's default 4 MiB payload
      // limit: lower the limit so that an oversized payload can reach the validator at all
      int maxPayloadBytes = payloadBytes + 1024;
      Configuration jobOptions = rig.jobOptions();
      jobOptions.set(SurgeOptions.MAX_PAYLOAD_BYTES, maxPayloadBytes);
      int maxDeadlineMs = (int) jobOptions.get(SurgeOptions.MAX_DEADLINE).toMillis();
      rig.startJob(jobOptions);

      HostileKind.Builder records =
          new HostileKind.Builder(
              rig.topics.requests(),
              service.name(),
              payload,
              maxDeadlineMs,
              maxPayloadBytes,
              options.seed());
      try (ChaosTally tally = rig.tally()) {
        long sendStart = System.nanoTime();
        List<Sent> sent = send(rig, records);
        double sendSeconds = (System.nanoTime() - sendStart) / 1e9;
        return check(rig, tally, sent, sendSeconds);
      }
    }
  }

  private List<Sent> send(ChaosRig rig, HostileKind.Builder records) throws Exception {
    int total = options.valid() + options.malformed();
    // which positions are malformed: a seeded random subset of all positions
    boolean[] hostile = new boolean[total];
    SplittableRandom rng = new SplittableRandom(options.seed());
    for (int placed = 0; placed < options.malformed(); ) {
      int i = rng.nextInt(total);
      if (!hostile[i]) {
        hostile[i] = true;
        placed++;
      }
    }
    HostileKind[] kinds = HostileKind.values();
    Sent[] sent = new Sent[total];
    AtomicReference<Exception> sendFailure = new AtomicReference<>();
    AtomicLong failedSends = new AtomicLong();
    log.accept(
        String.format(
            Locale.ROOT,
            "  sending %d valid requests and %d malformed records (%d kinds) at %.0f records/s",
            options.valid(),
            options.malformed(),
            kinds.length,
            options.rate()));
    long start = System.nanoTime();
    int malformed = 0;
    try (Producer<byte[], byte[]> producer = rig.producer()) {
      for (int i = 0; i < total; i++) {
        ChaosLoad.pace(start, i, options.rate());
        Instant now = Instant.now();
        ProducerRecord<byte[], byte[]> record;
        HostileKind kind = null;
        String id;
        if (hostile[i]) {
          kind = kinds[malformed++ % kinds.length];
          id = "chaos-h-" + i;
          record = records.hostile(kind, id, now);
        } else {
          id = "chaos-v-" + i;
          record = records.valid(id, now);
        }
        int at = i;
        HostileKind k = kind;
        producer.send(
            record,
            (meta, e) -> {
              if (e != null) {
                failedSends.incrementAndGet();
                sendFailure.compareAndSet(null, e);
                return;
              }
              boolean result = k == null || k.expectsResult();
              sent[at] =
                  new Sent(
                      k,
                      result ? id : null,
                      result
                          ? null
                          : ChaosTally.source(meta.topic(), meta.partition(), meta.offset()));
            });
      }
      producer.flush();
    }
    if (failedSends.get() > 0) {
      throw new IllegalStateException(
          failedSends.get() + " records could not be sent: " + sendFailure.get(),
          sendFailure.get());
    }
    return List.of(sent);
  }

  private ChaosOutcome check(ChaosRig rig, ChaosTally tally, List<Sent> sent, double sendSeconds)
      throws Exception {
    Set<String> expectedIds = new HashSet<>();
    Map<String, HostileKind> expectedDead = new HashMap<>();
    Map<HostileKind, Long> sentPerKind = new EnumMap<>(HostileKind.class);
    for (Sent s : sent) {
      if (s.kind() != null) {
        sentPerKind.merge(s.kind(), 1L, Long::sum);
      }
      if (s.id() != null) {
        expectedIds.add(s.id());
      } else {
        expectedDead.put(s.source(), s.kind());
      }
    }
    long in = sent.size();
    log.accept(
        String.format(
            Locale.ROOT,
            "  sent %d records in %.1f s: %d expecting a result, %d expecting a dead letter;"
                + " waiting for them (read_committed)",
            in,
            sendSeconds,
            expectedIds.size(),
            expectedDead.size()));
    long waitStart = System.nanoTime();
    boolean complete =
        tally.await(
            () ->
                tally.resultRecords() >= expectedIds.size()
                    && tally.deadLetterRecords() >= expectedDead.size(),
            rig.jobUnhealthy(),
            Duration.ofSeconds(120));
    double drainSeconds = (System.nanoTime() - waitStart) / 1e9;
    ChaosRig.awaitFewMoreCheckpoints();
    ChaosRig.Health health = rig.health();

    long missingResults = 0;
    long duplicateResults = 0;
    for (String id : expectedIds) {
      int n = tally.results(id).size();
      missingResults += n == 0 ? 1 : 0;
      duplicateResults += Math.max(0, n - 1);
    }
    Map<String, List<InferenceResult>> allResults = tally.allResults();
    long unexpectedResults =
        allResults.keySet().stream().filter(id -> !expectedIds.contains(id)).count();

    long missingDead = 0;
    long duplicateDead = 0;
    long wrongReason = 0;
    List<String> wrongExamples = new ArrayList<>();
    Map<HostileKind, Long> deadPerKind = new EnumMap<>(HostileKind.class);
    Map<HostileKind, String> sampleReason = new EnumMap<>(HostileKind.class);
    for (Map.Entry<String, HostileKind> e : expectedDead.entrySet()) {
      List<DeadLetter> letters = tally.deadLetters(e.getKey());
      if (letters.isEmpty()) {
        missingDead++;
        continue;
      }
      duplicateDead += letters.size() - 1;
      HostileKind kind = e.getValue();
      deadPerKind.merge(kind, 1L, Long::sum);
      String reason = letters.get(0).getReason();
      sampleReason.putIfAbsent(kind, reason);
      if (!reason.contains(kind.reason())) {
        wrongReason++;
        if (wrongExamples.size() < 5) {
          wrongExamples.add(kind + ": " + reason);
        }
      }
    }
    Map<String, List<DeadLetter>> allDead = tally.allDeadLetters();
    long unexpectedDead =
        allDead.keySet().stream().filter(s -> !expectedDead.containsKey(s)).count();
    long out = tally.resultRecords() + tally.deadLetterRecords();

    log.accept("  per kind: sent -> dead letters (or results), a reason:");
    for (HostileKind kind : HostileKind.values()) {
      long n = sentPerKind.getOrDefault(kind, 0L);
      String what =
          kind.expectsResult()
              ? "accepted by the contract, expects a result"
              : deadPerKind.getOrDefault(kind, 0L)
                  + " dead letters, e.g. \""
                  + abbreviate(sampleReason.getOrDefault(kind, "-"))
                  + "\"";
      log.accept(String.format(Locale.ROOT, "    %-20s %5d -> %s", kind, n, what));
    }
    Map<String, Long> perReason = new TreeMap<>();
    allDead.values().forEach(l -> l.forEach(d -> perReason.merge(reasonClass(d), 1L, Long::sum)));
    log.accept("  dead letters per reason:");
    perReason.forEach((r, n) -> log.accept(String.format(Locale.ROOT, "    %6d  %s", n, r)));
    log.accept(
        "  results per status: "
            + tally.byStatus()
            + "; an error per status: "
            + tally.sampleErrors());
    log.accept("  latency per status (SHED: creation to decision): " + tally.latencies());
    wrongExamples.forEach(w -> log.accept("  wrong reason: " + w));
    log.accept(String.format(Locale.ROOT, "  %s; drained in %.1f s", health.line(), drainSeconds));

    boolean passed =
        complete
            && in == out
            && missingResults == 0
            && duplicateResults == 0
            && unexpectedResults == 0
            && missingDead == 0
            && duplicateDead == 0
            && unexpectedDead == 0
            && wrongReason == 0
            && tally.undecodable() == 0
            && health.healthy();
    String figures =
        String.format(
            Locale.ROOT,
            "in %d = results %d + dead letters %d (%s); valid ids %d: missing %d, duplicated %d,"
                + " unexpected %d; invalid %d: missing %d, duplicated %d, unexpected %d, wrong"
                + " reason %d; undecodable %d; %s",
            in,
            tally.resultRecords(),
            tally.deadLetterRecords(),
            in == out ? "equal" : "differ by " + (out - in),
            expectedIds.size(),
            missingResults,
            duplicateResults,
            unexpectedResults,
            expectedDead.size(),
            missingDead,
            duplicateDead,
            unexpectedDead,
            wrongReason,
            tally.undecodable(),
            health.figures());
    return new ChaosOutcome(Scenario.HOSTILE_INPUT.cliName(), passed, figures);
  }

  /** A reason with its numbers and record-specific parts blanked, to count reasons by class. */
  static String reasonClass(DeadLetter d) {
    String r = d.getReason().replaceAll("[0-9a-f]{8,}", "#").replaceAll("-?[0-9]+", "#");
    int cut = r.indexOf(" (truncated or other schema)");
    return abbreviate(cut > 0 ? r.substring(0, cut) + " (truncated or other schema)" : r);
  }

  private static String abbreviate(String s) {
    return s.length() <= 90 ? s : s.substring(0, 87) + "...";
  }

  /** One valid FP32 payload of the service's input, shaped [1, ...input]. */
  static Tensor payload(Catalog.Service service, long seed) {
    Catalog.TensorSpec input = service.variants().get(0).input();
    List<Long> shape = new ArrayList<>();
    shape.add(1L);
    shape.addAll(input.shape());
    int elements = Math.toIntExact(input.elementCount());
    ByteBuffer data = ByteBuffer.allocate(elements * 4).order(ByteOrder.LITTLE_ENDIAN);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int e = 0; e < elements; e++) {
      data.putFloat((float) rng.nextDouble());
    }
    data.flip();
    return Tensor.newBuilder()
        .setName(input.name())
        .setDatatype("FP32")
        .setShape(shape)
        .setData(data)
        .build();
  }
}
