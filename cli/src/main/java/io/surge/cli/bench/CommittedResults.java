package io.surge.cli.bench;

import io.surge.cli.results.ResultsReader;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Watches a results topic through a {@link ResultsReader} and notes when committed results arrive:
 * the first, the N-th, and how many came with the first commit. Results are told apart by their
 * record key (the sink keys them by request id), so counting needs no Avro decoding.
 */
final class CommittedResults implements AutoCloseable {

  private final Set<String> seen = new HashSet<>();
  private final ResultsReader reader;
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
    this.reader = new ResultsReader(bootstrap, List.of(topic), "bench-results", this::accept);
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
      if (!seen.add(ResultsReader.key(r))) {
        duplicates++;
      }
    }
    if (now - firstNanos <= firstCommitWindowNanos) {
      firstCommitCount = seen.size();
    }
    if (targetNanos < 0 && seen.size() >= target) {
      targetNanos = now;
    }
  }

  /**
   * Waits until {@code target} distinct results arrived; false on timeout or when {@code failed}
   * says the job gave up.
   */
  boolean awaitTarget(Duration timeout, BooleanSupplier failed) throws InterruptedException {
    return reader.await(this::targetReached, failed, timeout);
  }

  private synchronized boolean targetReached() {
    return targetNanos >= 0;
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
    reader.close();
  }

  /**
   * @param results results counted
   * @param commits how many separate commits (checkpoints) delivered them
   * @param seconds from the first to the last committed result
   * @param perSecond committed results per second
   */
  record Throughput(long results, int commits, double seconds, double perSecond) {}
}
