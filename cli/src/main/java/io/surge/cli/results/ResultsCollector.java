package io.surge.cli.results;

import io.surge.schema.DeadLetter;
import io.surge.schema.InferenceResult;
import io.surge.schema.ResultStatus;
import io.surge.schema.wire.AvroWire;
import io.surge.state.catalog.Catalog;
import io.surge.state.metrics.Scoreboard;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Reads the {@code results} and {@code dead-letters} topics as an analyst would (read_committed)
 * and keeps the tallies the job benchmark and the end-to-end tests check: results by status,
 * duplicate request ids, dead letters, and a {@link Scoreboard} of the service.
 */
public final class ResultsCollector implements AutoCloseable {

  private final String resultsTopic;
  private final Catalog.Service service;
  private final AvroWire<InferenceResult> results = AvroWire.of(InferenceResult.class);
  private final AvroWire<DeadLetter> deadLetters = AvroWire.of(DeadLetter.class);
  private final Set<String> seen = new HashSet<>();
  private final Map<String, AtomicLong> byStatus = new ConcurrentHashMap<>();
  private final Map<Long, AtomicLong> byPolicyVersion = new ConcurrentHashMap<>();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong deadLetterCount = new AtomicLong();
  private final AtomicLong undecodable = new AtomicLong();
  private volatile String lastError;
  private final Scoreboard scoreboard;
  private final ResultsReader reader;

  public ResultsCollector(
      String bootstrap, String resultsTopic, String deadLetterTopic, Catalog.Service service) {
    this.resultsTopic = resultsTopic;
    this.service = service;
    this.scoreboard = newScoreboard();
    this.reader =
        new ResultsReader(
            bootstrap, List.of(resultsTopic, deadLetterTopic), "results-collector", this::onBatch);
  }

  private Scoreboard newScoreboard() {
    return new Scoreboard(service.variants().stream().map(Catalog.Variant::name).toList());
  }

  private void onBatch(ConsumerRecords<byte[], byte[]> records, long arrivedNanos) {
    for (ConsumerRecord<byte[], byte[]> record : records) {
      try {
        if (record.topic().equals(resultsTopic)) {
          accept(ResultsReader.decode(results, record));
        } else {
          ResultsReader.decode(deadLetters, record);
          deadLetterCount.incrementAndGet();
        }
      } catch (AvroWire.InvalidRecordException e) {
        undecodable.incrementAndGet();
      }
    }
  }

  private synchronized void accept(InferenceResult result) {
    if (!seen.add(result.getRequestId())) {
      duplicates.incrementAndGet();
      return;
    }
    byStatus.computeIfAbsent(result.getStatus(), s -> new AtomicLong()).incrementAndGet();
    byPolicyVersion
        .computeIfAbsent(result.getPolicyVersion(), v -> new AtomicLong())
        .incrementAndGet();
    if (result.getError() != null) {
      lastError = result.getError();
    }
    int variant = result.getVariant() == null ? -1 : service.indexOf(result.getVariant());
    scoreboard.record(
        ResultStatus.valueOf(result.getStatus()),
        variant,
        result.getReward(),
        result.getLatencyMs(),
        result.getCompletedAt().toEpochMilli());
  }

  /** Distinct request ids with a result. */
  public synchronized long results() {
    return seen.size();
  }

  public long results(String status) {
    AtomicLong n = byStatus.get(status);
    return n == null ? 0 : n.get();
  }

  /** Distinct results decided by a policy version (0: the built-in fallback heuristic). */
  public long resultsOfPolicy(long version) {
    AtomicLong n = byPolicyVersion.get(version);
    return n == null ? 0 : n.get();
  }

  /** The error text of the latest result that had one, or null. */
  public String lastError() {
    return lastError;
  }

  public long duplicates() {
    return duplicates.get();
  }

  public long deadLetters() {
    return deadLetterCount.get();
  }

  public long undecodable() {
    return undecodable.get();
  }

  public synchronized Scoreboard.Summary summary() {
    return scoreboard.summary();
  }

  /** Waits until at least {@code results} results and {@code deadLetters} dead letters arrived. */
  public boolean awaitCounts(long results, long deadLetters, Duration timeout)
      throws InterruptedException {
    return reader.await(() -> results() >= results && deadLetters() >= deadLetters, timeout);
  }

  @Override
  public void close() throws InterruptedException {
    reader.close();
  }
}
