package io.surge.cli.load;

import io.surge.sim.workload.ArrivalProcess;
import io.surge.state.catalog.Catalog;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces {@code InferenceRequest}s to the requests topic in real time, following an {@link
 * ArrivalProcess} (backs {@code surge load} and the demo's load).
 *
 * <p>Arrival {@code t} is due {@code t} seconds after the start on the monotonic clock. Sending
 * late by up to {@link LoadOptions#maxLag()} is caught up at once, as a real client would; when the
 * lag grows beyond that (a stall, a slow broker) the schedule is shifted instead, so the missed
 * arrivals come late rather than as one burst.
 *
 * <p>Request ids are {@code runId-sequence}. Invalid records (see {@link InvalidKind}) are spread
 * evenly at {@link LoadOptions#invalidFraction()} and counted separately.
 */
public final class LoadGenerator {

  private final Producer<byte[], byte[]> producer;
  private final ArrivalProcess arrivals;
  private final LoadOptions options;
  private final RequestRecords records;
  private final Clock wallClock;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
  private volatile Thread runner;

  public LoadGenerator(
      Producer<byte[], byte[]> producer,
      Catalog catalog,
      ArrivalProcess arrivals,
      LoadOptions options,
      Clock wallClock) {
    this.producer = producer;
    this.arrivals = arrivals;
    this.options = options;
    this.records = new RequestRecords(catalog, options);
    this.wallClock = wallClock;
  }

  /**
   * Producer settings: idempotent, {@code acks=all}, byte-array serde; {@code extra} (e.g. {@code
   * security.protocol}, SASL or SSL settings) is passed through and may override the rest.
   */
  public static Properties producerProperties(String bootstrapServers, Properties extra) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "surge-load");
    p.putAll(extra);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  /** A producer with {@link #producerProperties}; the caller closes it. */
  public static Producer<byte[], byte[]> createProducer(String bootstrapServers, Properties extra) {
    return new KafkaProducer<>(producerProperties(bootstrapServers, extra));
  }

  /** Asks a running {@link #run()} to stop after the current record; safe from any thread. */
  public void stop() {
    stopped.set(true);
    Thread t = runner;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /**
   * Runs against a cluster with a producer of its own, closed at the end.
   *
   * @param extra client properties passed through (security and the like)
   */
  public static LoadCounts run(
      String bootstrapServers,
      Properties extra,
      Catalog catalog,
      ArrivalProcess arrivals,
      LoadOptions options) {
    try (Producer<byte[], byte[]> producer = createProducer(bootstrapServers, extra)) {
      return new LoadGenerator(producer, catalog, arrivals, options, Clock.systemUTC()).run();
    }
  }

  /**
   * Sends until the duration, the count or the arrivals run out (or {@link #stop()}), then flushes.
   */
  public LoadCounts run() {
    runner = Thread.currentThread();
    Tally tally = new Tally();
    long start = System.nanoTime();
    Pacer pacer = new Pacer(start, options.maxLag().toNanos());
    long nextProgress = start + options.progressInterval().toNanos();
    long limitNanos = options.duration() == null ? Long.MAX_VALUE : options.duration().toNanos();
    while (!stopped.get() && (options.maxRequests() <= 0 || tally.sent() < options.maxRequests())) {
      long offset = arrivals.nextArrivalNanos();
      if (offset >= limitNanos) {
        break;
      }
      long due = pacer.due(offset);
      nextProgress = waitUntil(due, nextProgress, start, tally);
      if (stopped.get()) {
        break;
      }
      pacer.sentAt(due, System.nanoTime());
      tally.lag(pacer.maxObservedLag());
      send(tally);
    }
    producer.flush();
    LoadCounts counts = tally.counts(failed.get(), (System.nanoTime() - start) / 1e9);
    options.progress().accept(summary("done", counts));
    return counts;
  }

  /**
   * Parks until {@code due}, emitting progress lines on the way; returns the next progress time.
   */
  private long waitUntil(long due, long nextProgress, long start, Tally tally) {
    while (true) {
      long now = System.nanoTime();
      if (now >= nextProgress) {
        options
            .progress()
            .accept(summary("progress", tally.counts(failed.get(), (now - start) / 1e9)));
        nextProgress = now + options.progressInterval().toNanos();
      }
      if (now >= due || stopped.get()) {
        return nextProgress;
      }
      LockSupport.parkNanos(Math.min(due, nextProgress) - now);
    }
  }

  private void send(Tally tally) {
    long sequence = tally.sent();
    String requestId = options.runId() + "-" + sequence;
    InvalidKind kind = invalidKindFor(sequence);
    ProducerRecord<byte[], byte[]> record =
        kind == null
            ? records.valid(requestId, wallClock.instant())
            : records.invalid(kind, requestId, wallClock.instant());
    tally.count(kind);
    try {
      producer.send(record, (metadata, error) -> onAck(error));
    } catch (KafkaException e) {
      // refused before sending (too large, buffer exhausted, metadata timeout): counted, go on
      onAck(e);
    }
  }

  /**
   * Record {@code i} is invalid when the running count {@code floor((i + 1) f)} steps up, which
   * spreads exactly {@code floor(n f)} invalid records evenly over n; kinds take turns.
   */
  private InvalidKind invalidKindFor(long i) {
    double f = options.invalidFraction();
    long before = (long) Math.floor(i * f + 1e-9);
    long after = (long) Math.floor((i + 1) * f + 1e-9);
    if (after == before) {
      return null;
    }
    InvalidKind[] kinds = InvalidKind.values();
    return kinds[(int) (before % kinds.length)];
  }

  private void onAck(Exception error) {
    if (error != null) {
      failed.incrementAndGet();
      if (firstFailure.compareAndSet(null, error)) {
        options.progress().accept("load: send failed: " + error);
      }
    }
  }

  private static String summary(String label, LoadCounts c) {
    return String.format(
        Locale.ROOT,
        "load %s: sent %d (valid %d, invalid %d) in %.1f s, %.1f req/s, failed %d, max lag %.0f ms",
        label,
        c.sent(),
        c.valid(),
        c.invalid(),
        c.seconds(),
        c.rate(),
        c.failed(),
        c.maxLagMs());
  }

  /** Counts kept by the sending thread. */
  private static final class Tally {
    private long valid;
    private final Map<InvalidKind, Long> invalid = new EnumMap<>(InvalidKind.class);
    private long invalidTotal;
    private long maxLagNanos;

    void count(InvalidKind kind) {
      if (kind == null) {
        valid++;
        return;
      }
      invalid.merge(kind, 1L, Long::sum);
      invalidTotal++;
    }

    void lag(long maxNanos) {
      maxLagNanos = maxNanos;
    }

    long sent() {
      return valid + invalidTotal;
    }

    LoadCounts counts(long failed, double seconds) {
      return new LoadCounts(valid, invalidTotal, invalid, failed, seconds, maxLagNanos / 1e6);
    }
  }
}
