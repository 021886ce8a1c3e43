package io.surge.cli.results;

import io.surge.schema.wire.AvroWire;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The one reader of the job's output topics outside the job: reads them from the beginning as an
 * analyst would (read_committed, so only what the job's transactions committed), on a daemon
 * thread, and hands each poll's records to a {@link Batches} that keeps whatever tallies its user
 * needs (the end-to-end checks, the demo's runs, the job benchmark's commit timing).
 */
public final class ResultsReader implements AutoCloseable {

  /** Short enough to time commits to a few tens of ms and to stop promptly. */
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(20);

  /** How long a waiter sleeps at most between checks when no records arrive. */
  private static final long MAX_WAIT_MILLIS = 50;

  /** What a reader does with the records of each poll; runs on the reader's thread. */
  @FunctionalInterface
  public interface Batches {
    /**
     * @param arrivedNanos {@link System#nanoTime()} when the poll returned them
     */
    void accept(ConsumerRecords<byte[], byte[]> records, long arrivedNanos);
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Batches batches;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object arrivals = new Object();
  private final Thread poller;

  /**
   * Starts reading {@code topics} from their beginning.
   *
   * @param name names the consumer group (fresh per reader) and the thread
   */
  public ResultsReader(String bootstrap, List<String> topics, String name, Batches batches) {
    this(bootstrap, new Properties(), topics, name, batches);
  }

  /**
   * Starts reading {@code topics} from their beginning with {@code clientProperties} (SASL/SSL
   * settings and the like) added to the reader's own.
   */
  public ResultsReader(
      String bootstrap,
      Properties clientProperties,
      List<String> topics,
      String name,
      Batches batches) {
    this.batches = batches;
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.putAll(properties(bootstrap, name));
    this.consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(topics);
    this.poller = new Thread(this::pollLoop, name);
    poller.setDaemon(true);
    poller.start();
  }

  private static Properties properties(String bootstrap, String name) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // large polls: the job benchmark reads hundreds of thousands of results
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "20000");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "surge-" + name + "-" + System.nanoTime());
    return props;
  }

  private void pollLoop() {
    try {
      while (!closed.get()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
        if (!records.isEmpty()) {
          batches.accept(records, System.nanoTime());
          synchronized (arrivals) {
            arrivals.notifyAll();
          }
        }
      }
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  /**
   * Waits until {@code reached} holds, checking after each batch (and at least every 50 ms).
   *
   * @param givenUp stops the wait early, e.g. when the job failed
   * @return true once reached; false at the timeout or when given up
   */
  public boolean await(BooleanSupplier reached, BooleanSupplier givenUp, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!reached.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || givenUp.getAsBoolean()) {
        return false;
      }
      synchronized (arrivals) {
        arrivals.wait(Math.min(MAX_WAIT_MILLIS, Math.max(1, left / 1_000_000)));
      }
    }
    return true;
  }

  /** Waits until {@code reached} holds; false at the timeout. */
  public boolean await(BooleanSupplier reached, Duration timeout) throws InterruptedException {
    return await(reached, () -> false, timeout);
  }

  /**
   * Decodes a record with the schema its {@code surge.schema} header names.
   *
   * @throws AvroWire.InvalidRecordException when it was written with another schema or is corrupt
   */
  public static <T extends SpecificRecord> T decode(
      AvroWire<T> wire, ConsumerRecord<byte[], byte[]> record)
      throws AvroWire.InvalidRecordException {
    Header header = record.headers().lastHeader(AvroWire.SCHEMA_HEADER);
    return wire.deserialize(record.value(), header == null ? null : header.value());
  }

  /** The record's key as text: the request id of a result (the sink keys them so). */
  public static String key(ConsumerRecord<byte[], byte[]> record) {
    return record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    closed.set(true);
    poller.join(5_000);
  }
}
