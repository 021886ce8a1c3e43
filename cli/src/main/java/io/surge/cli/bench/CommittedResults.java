package io.surge.cli.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Watches a results topic as an analyst would (read_committed) and notes when committed results
 * arrive: the first, the N-th, and how many came with the first commit. Results are told apart by
 * their record key (the sink keys them by request id), so counting needs no Avro decoding.
 */
final class CommittedResults implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Set<String> seen = new HashSet<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread poller;
  private final long target;
  private final long firstCommitWindowNanos;
  private long duplicates;
  private long firstNanos = -1;
  private long lastNanos = -1;
  private int commits;
  private long firstCommitCount;
  private long targetNanos = -1;

  /**
   * Starts reading {@code topic} from its beginning.
   *
   * @param target the expected count
   * @param commitInterval the sink's checkpoint interval: records arriving within half of it (at
   *     most 50 ms) of the first one belong to the first commit, which may take a few polls
   */
  CommittedResults(String bootstrap, String topic, long target, Duration commitInterval) {
    this.target = target;
    this.firstCommitWindowNanos = Math.min(commitInterval.toNanos() / 2, 50_000_000L);
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "20000");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "surge-bench-" + System.nanoTime());
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    poller = new Thread(this::pollLoop, "bench-results");
    poller.setDaemon(true);
    poller.start();
  }

  private void pollLoop() {
    try {
      while (!closed.get()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(20));
        if (!records.isEmpty()) {
          accept(records, System.nanoTime());
        }
      }
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private synchronized void accept(ConsumerRecords<byte[], byte[]> records, long now) {
    if (firstNanos < 0) {
      firstNanos = now;
    }
    if (targetNanos < 0 && (lastNanos < 0 || now - lastNanos > firstCommitWindowNanos)) {
      commits++; // a gap: the next checkpoint's transactions
    }
    lastNanos = now;
    for (ConsumerRecord<byte[], byte[]> r : records) {
      String id = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
      if (!seen.add(id)) {
        duplicates++;
      }
    }
    if (now - firstNanos <= firstCommitWindowNanos) {
      firstCommitCount = seen.size();
    }
    if (targetNanos < 0 && seen.size() >= target) {
      targetNanos = now;
    }
    notifyAll();
  }

  /**
   * Waits until {@code target} distinct results arrived; false on timeout or when {@code failed}
   * says the job gave up.
   */
  synchronized boolean awaitTarget(Duration timeout, BooleanSupplier failed)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (targetNanos < 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || failed.getAsBoolean()) {
        return false;
      }
      wait(Math.min(200, Math.max(1, left / 1_000_000)));
    }
    return true;
  }

  synchronized long distinct() {
    return seen.size();
  }

  synchronized long duplicates() {
    return duplicates;
  }

  /**
   * The committed rate: results after the first commit over the time from the first commit to the
   * arrival of the target-th result. The first commit holds what was processed before anything was
   * visible, so it is left out of the numerator; NaN before the target is reached or when every
   * result came with one commit (too few requests for the checkpoint interval).
   */
  synchronized Throughput throughput() {
    if (targetNanos < 0 || commits < 2) {
      return new Throughput(distinct(), commits, Double.NaN, Double.NaN);
    }
    double seconds = (targetNanos - firstNanos) / 1e9;
    return new Throughput(target, commits, seconds, (target - firstCommitCount) / seconds);
  }

  @Override
  public void close() throws InterruptedException {
    closed.set(true);
    poller.join(5_000);
  }

  /**
   * @param results results counted
   * @param commits how many separate commits (checkpoints) delivered them
   * @param seconds from the first to the last committed result
   * @param perSecond committed results per second
   */
  record Throughput(long results, int commits, double seconds, double perSecond) {}
}
