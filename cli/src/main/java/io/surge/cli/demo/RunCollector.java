package io.surge.cli.demo;

import io.surge.cli.results.ResultsReader;
import io.surge.schema.InferenceResult;
import io.surge.schema.ResultStatus;
import io.surge.schema.wire.AvroWire;
import io.surge.state.catalog.Catalog;
import io.surge.state.metrics.Scoreboard;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Reads one policy run's {@code results} topic through a {@link ResultsReader} and keeps two
 * tallies apart by request id: the warm-up requests, which only show that the job answers, and the
 * measured requests, which alone are scored ({@link Scoreboard}), counted by status and variant,
 * and binned into a {@link Timeline}.
 */
final class RunCollector implements AutoCloseable {

  private final String measuredPrefix;
  private final String warmupPrefix;
  private final AvroWire<InferenceResult> wire = AvroWire.of(InferenceResult.class);
  private final RunTally tally;
  private final ResultsReader reader;
  private long undecodable;
  private long warmupResults;
  private long warmupOk;

  RunCollector(
      String bootstrap,
      String resultsTopic,
      Catalog.Service service,
      String measuredRunId,
      String warmupRunId) {
    this.measuredPrefix = measuredRunId + "-";
    this.warmupPrefix = warmupRunId + "-";
    this.tally =
        new RunTally(
            service.variants().stream().map(Catalog.Variant::name).toList(),
            System.currentTimeMillis());
    this.reader =
        new ResultsReader(bootstrap, List.of(resultsTopic), "demo-results", this::onBatch);
  }

  /** Measured requests are binned by creation time from here on (the start of the load). */
  synchronized void startTimeline(long startMillis) {
    tally.restartTimeline(startMillis);
  }

  private void onBatch(ConsumerRecords<byte[], byte[]> records, long arrivedNanos) {
    for (ConsumerRecord<byte[], byte[]> record : records) {
      try {
        accept(ResultsReader.decode(wire, record));
      } catch (AvroWire.InvalidRecordException | IllegalArgumentException e) {
        // a record of another schema, or a status this version does not know
        countUndecodable();
      }
    }
  }

  private synchronized void countUndecodable() {
    undecodable++;
  }

  private synchronized void accept(InferenceResult result) {
    String id = result.getRequestId();
    if (id.startsWith(warmupPrefix)) {
      warmupResults++;
      warmupOk += "OK".equals(result.getStatus()) ? 1 : 0;
      return;
    }
    if (!id.startsWith(measuredPrefix)) {
      return;
    }
    tally.add(result);
  }

  /** An error message without its request-specific details, so equal causes count together. */
  static String errorKind(String error) {
    return RunTally.errorKind(error);
  }

  /** The most frequent error kind and its count, or null when there was none. */
  synchronized Map.Entry<String, Long> commonestError() {
    return tally.commonestError();
  }

  /** What has been seen so far. */
  synchronized Snapshot snapshot() {
    return new Snapshot(
        tally.results(),
        tally.byStatus(),
        tally.variantCounts(),
        tally.duplicates(),
        undecodable,
        warmupResults,
        warmupOk);
  }

  synchronized Scoreboard.Summary summary() {
    return tally.summary();
  }

  /** Milliseconds from a request's creation to the scheduler's decision: the pipeline's share. */
  synchronized Samples decisionDelay() {
    return tally.decisionDelay();
  }

  synchronized Timeline timeline() {
    return tally.timeline();
  }

  /** Waits until {@code count} measured results arrived; false at the deadline. */
  boolean awaitResults(long count, Duration timeout) throws InterruptedException {
    return reader.await(() -> snapshot().results() >= count, timeout);
  }

  @Override
  public void close() throws InterruptedException {
    reader.close();
  }

  /**
   * Tallies at one moment.
   *
   * @param results distinct measured request ids with a result
   * @param variantCounts served requests per variant, in catalog order
   */
  record Snapshot(
      long results,
      Map<ResultStatus, Long> byStatus,
      long[] variantCounts,
      long duplicates,
      long undecodable,
      long warmupResults,
      long warmupOk) {

    long count(ResultStatus status) {
      return byStatus.getOrDefault(status, 0L);
    }
  }
}
