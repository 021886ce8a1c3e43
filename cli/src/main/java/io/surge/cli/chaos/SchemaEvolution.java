package io.surge.cli.chaos;

import io.surge.schema.DeadLetter;
import io.surge.schema.InferenceRequest;
import io.surge.schema.wire.AvroWire;
import io.surge.schema.wire.WriterSchemas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Schema evolution (issue 12): while the job runs, an older producer (writer schema v1, the job's
 * reader schema) and a newer one (v2 of {@code schemas/history/}, an added optional field) write
 * requests side by side, and a producer on an unreleased v3 (one more optional field) writes some
 * too. Promises checked: every v1 and v2 request exactly one result (v2 read by Avro's resolution
 * rules, the added field skipped); every v3 record exactly one dead letter saying it was written
 * with another schema; the job never restarts.
 */
public final class SchemaEvolution {

  /** How many records and how fast. */
  public record Options(int requests, double rate) {
    public static Options defaults() {
      return new Options(3000, 200);
    }
  }

  static final String DEAD_LETTER_REASON = "record written with another schema";

  private final Options options;
  private final Consumer<String> log;

  public SchemaEvolution(Options options, Consumer<String> log) {
    this.options = options;
    this.log = log;
  }

  /** v2 with one more optional field: what a producer that went before the job would write. */
  static Schema unreleased(Schema v2) {
    return new Schema.Parser()
        .parse(
            v2.toString()
                .replace(
                    "\"name\":\"trace_id\"",
                    "\"name\":\"tenant\",\"type\":[\"null\",\"string\"],\"default\":null},"
                        + "{\"name\":\"trace_id\""));
  }

  public ChaosOutcome run(Path dir) throws Exception {
    String tag = "chaos-schema-" + Long.toHexString(System.currentTimeMillis());
    List<Schema> history = WriterSchemas.of(InferenceRequest.SCHEMA$).versions();
    Schema v2 = history.get(history.size() - 1);
    Schema v3 = unreleased(v2);
    log.accept(
        String.format(
            Locale.ROOT,
            "  writer schemas: v1 %x (the job's reader), v2 %x (released, adds %s), v3 %x"
                + " (unreleased, adds tenant)",
            WriterSchemas.fingerprint(InferenceRequest.SCHEMA$),
            WriterSchemas.fingerprint(v2),
            v2.getFields().get(v2.getFields().size() - 1).name(),
            WriterSchemas.fingerprint(v3)));
    try (ChaosRig rig = new ChaosRig(dir, tag, log)) {
      rig.startJob(rig.jobOptions());
      ChaosLoad load = rig.load("chaos-s-");
      Map<String, String> unreleasedSources = new ConcurrentHashMap<>();
      int[] perVersion = new int[3];
      try (ChaosTally tally = rig.tally();
          Producer<byte[], byte[]> producer = rig.producer()) {
        log.accept(
            String.format(
                Locale.ROOT,
                "  sending %d records at %.0f/s: 5 in 10 by a v1 producer, 4 by a v2 producer,"
                    + " 1 by a v3 producer",
                options.requests(),
                options.rate()));
        long start = System.nanoTime();
        for (int i = 0; i < options.requests(); i++) {
          ChaosLoad.pace(start, i, options.rate());
          String id = "chaos-s-" + i;
          int slot = i % 10;
          if (slot < 5) {
            load.send(producer, load.record(load.request(id, Instant.now())));
            load.expect(id);
            perVersion[0]++;
          } else if (slot < 9) {
            load.send(producer, record(rig, v2, id, load));
            load.expect(id);
            perVersion[1]++;
          } else {
            producer.send(
                record(rig, v3, id, load),
                (meta, e) -> {
                  if (e == null) {
                    unreleasedSources.put(
                        ChaosTally.source(meta.topic(), meta.partition(), meta.offset()), id);
                  }
                });
            perVersion[2]++;
          }
        }
        producer.flush();
        load.requireAllSent();
        boolean complete =
            tally.await(
                () ->
                    tally.resultRecords() >= load.size()
                        && tally.deadLetterRecords() >= perVersion[2],
                () -> false,
                Duration.ofSeconds(120));
        ChaosRig.awaitFewMoreCheckpoints();
        return check(rig, tally, load, unreleasedSources, perVersion, complete);
      }
    }
  }

  private ProducerRecord<byte[], byte[]> record(
      ChaosRig rig, Schema writer, String id, ChaosLoad load) throws IOException {
    InferenceRequest r = load.request(id, Instant.now());
    GenericRecord g = new GenericData.Record(writer);
    g.put("request_id", r.getRequestId());
    g.put("service", r.getService());
    g.put("created_at", r.getCreatedAt().toEpochMilli());
    g.put("deadline_ms", r.getDeadlineMs());
    g.put("trace_id", "00-" + id + "-01");
    if (writer.getField("tenant") != null) {
      g.put("tenant", "tenant-a");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(writer).write(g, encoder);
    encoder.flush();
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            rig.topics.requests(),
            r.getService().getBytes(StandardCharsets.UTF_8),
            out.toByteArray());
    record.headers().add(AvroWire.SCHEMA_HEADER, WriterSchemas.header(writer));
    return record;
  }

  private ChaosOutcome check(
      ChaosRig rig,
      ChaosTally tally,
      ChaosLoad load,
      Map<String, String> unreleasedSources,
      int[] perVersion,
      boolean complete)
      throws Exception {
    ChaosRig.Health health = rig.health();
    ChaosLoad.Counts counts = load.count(tally);
    long missingDead = 0;
    long duplicateDead = 0;
    long wrongReason = 0;
    String sampleReason = "-";
    for (String source : unreleasedSources.keySet()) {
      List<DeadLetter> letters = tally.deadLetters(source);
      if (letters.isEmpty()) {
        missingDead++;
        continue;
      }
      duplicateDead += letters.size() - 1;
      sampleReason = letters.get(0).getReason();
      wrongReason += letters.get(0).getReason().contains(DEAD_LETTER_REASON) ? 0 : 1;
    }
    List<String> unexpectedDead = new ArrayList<>(tally.allDeadLetters().keySet());
    unexpectedDead.removeAll(unreleasedSources.keySet());
    log.accept("  results per status: " + tally.byStatus());
    log.accept("  a v3 dead letter: " + sampleReason);
    log.accept("  " + health.line());
    boolean passed =
        complete
            && counts.exact()
            && unreleasedSources.size() == perVersion[2]
            && missingDead == 0
            && duplicateDead == 0
            && wrongReason == 0
            && unexpectedDead.isEmpty()
            && tally.undecodable() == 0
            && health.healthy();
    String figures =
        String.format(
            Locale.ROOT,
            "v1 %d + v2 %d requests: %s; v3 %d records: dead letters missing %d, duplicated %d,"
                + " wrong reason %d, unexpected %d; %s",
            perVersion[0],
            perVersion[1],
            counts.line(),
            perVersion[2],
            missingDead,
            duplicateDead,
            wrongReason,
            unexpectedDead.size(),
            health.figures());
    return new ChaosOutcome(Scenario.SCHEMA_EVOLUTION.cliName(), passed, figures);
  }
}
