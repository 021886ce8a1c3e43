package io.surge.cli.chaos;

import io.surge.cli.load.LoadGenerator;
import io.surge.schema.InferenceRequest;
import io.surge.schema.InferenceResult;
import io.surge.schema.wire.AvroWire;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Valid requests sent at a steady rate, the ids remembered, and the one check every scenario makes
 * of them: each id exactly one result, and no result for an id never sent. Requests carry no
 * payload (the servers synthesise the model's input), so the scenarios measure the job and the
 * servers, not the payload's bytes.
 */
final class ChaosLoad {

  private final String topic;
  private final String service;
  private final String idPrefix;
  private final AvroWire<InferenceRequest> wire = AvroWire.of(InferenceRequest.class);
  private final List<String> ids = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong failedSends = new AtomicLong();
  private final AtomicReference<Exception> sendFailure = new AtomicReference<>();

  ChaosLoad(String topic, String service, String idPrefix) {
    this.topic = topic;
    this.service = service;
    this.idPrefix = idPrefix;
  }

  /** A valid request with the rig's generous deadline. */
  InferenceRequest request(String id, Instant now) {
    return InferenceRequest.newBuilder()
        .setRequestId(id)
        .setService(service)
        .setCreatedAt(now)
        .setDeadlineMs(ChaosRig.DEADLINE_MS)
        .build();
  }

  /** The record of a request as every Surge producer writes it (key: service; schema header). */
  ProducerRecord<byte[], byte[]> record(InferenceRequest request) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            topic, service.getBytes(StandardCharsets.UTF_8), wire.serialize(request));
    record.headers().add(AvroWire.SCHEMA_HEADER, wire.fingerprint());
    return record;
  }

  /**
   * Sends {@code count} requests at {@code rate} per second with {@code producer}, or fewer when
   * {@code stop} turns true first; returns how many were sent.
   */
  int send(Producer<byte[], byte[]> producer, int count, double rate, BooleanSupplier stop)
      throws InterruptedException {
    long start = System.nanoTime();
    int sent = 0;
    for (int i = 0; i < count && !stop.getAsBoolean(); i++) {
      pace(start, i, rate);
      String id = idPrefix + ids.size();
      send(producer, record(request(id, Instant.now())));
      ids.add(id);
      sent++;
    }
    producer.flush();
    return sent;
  }

  /** Sends one record and remembers a failure to send (checked by {@link #requireAllSent()}). */
  void send(Producer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record) {
    producer.send(
        record,
        (meta, e) -> {
          if (e != null) {
            failedSends.incrementAndGet();
            sendFailure.compareAndSet(null, e);
          }
        });
  }

  /** Remembers an id sent by another writer (e.g. a producer on another schema). */
  void expect(String id) {
    ids.add(id);
  }

  static void pace(long startNanos, long index, double rate) throws InterruptedException {
    long due = startNanos + (long) (index * 1e9 / rate);
    long wait = due - System.nanoTime();
    if (wait > 1_000_000) {
      Thread.sleep(wait / 1_000_000);
    }
  }

  /** A producer of the rig's broker with the chaos defaults (and {@code extra}). */
  static Producer<byte[], byte[]> producer(String bootstrap, Properties extra) {
    return LoadGenerator.createProducer(bootstrap, extra);
  }

  void requireAllSent() {
    if (failedSends.get() > 0) {
      throw new IllegalStateException(
          failedSends.get() + " records could not be sent: " + sendFailure.get(),
          sendFailure.get());
    }
  }

  List<String> ids() {
    synchronized (ids) {
      return List.copyOf(ids);
    }
  }

  int size() {
    return ids.size();
  }

  /** Each id exactly one result, and nothing else. */
  Counts count(ChaosTally tally) {
    return count(ids(), tally);
  }

  /**
   * Each of {@code ids} (e.g. read back from the requests topic) exactly one result, and nothing
   * else.
   */
  static Counts count(java.util.Collection<String> ids, ChaosTally tally) {
    Set<String> expected = new HashSet<>(ids);
    long missing = 0;
    long duplicated = 0;
    for (String id : expected) {
      int n = tally.results(id).size();
      missing += n == 0 ? 1 : 0;
      duplicated += Math.max(0, n - 1);
    }
    Map<String, List<InferenceResult>> all = tally.allResults();
    long unexpected = all.keySet().stream().filter(id -> !expected.contains(id)).count();
    return new Counts(expected.size(), missing, duplicated, unexpected);
  }

  /** What {@link #count} found. */
  record Counts(long requests, long missing, long duplicated, long unexpected) {
    boolean exact() {
      return missing == 0 && duplicated == 0 && unexpected == 0;
    }

    String line() {
      return String.format(
          Locale.ROOT,
          "requests %d: missing %d, duplicated %d, unexpected %d",
          requests,
          missing,
          duplicated,
          unexpected);
    }
  }
}
