package io.surge.cli.chaos;

import io.surge.cli.results.ResultsReader;
import io.surge.schema.DeadLetter;
import io.surge.schema.InferenceResult;
import io.surge.schema.wire.AvroWire;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Every record on the {@code results} and {@code dead-letters} topics, read {@code read_committed}
 * from the beginning, kept per request id and per source record (topic, partition, offset) so that
 * a scenario can check each input against exactly one output.
 */
final class ChaosTally implements AutoCloseable {

  private final String resultsTopic;
  private final AvroWire<InferenceResult> resultWire = AvroWire.of(InferenceResult.class);
  private final AvroWire<DeadLetter> deadLetterWire = AvroWire.of(DeadLetter.class);
  private final Map<String, List<InferenceResult>> results = new HashMap<>();
  private final Map<String, List<DeadLetter>> deadLetters = new HashMap<>();
  private long resultRecords;
  private long deadLetterRecords;
  private long undecodable;
  private final ResultsReader reader;

  ChaosTally(String bootstrap, String resultsTopic, String deadLetterTopic) {
    this(bootstrap, new Properties(), resultsTopic, deadLetterTopic);
  }

  /** A tally reading with {@code clientProperties} (e.g. SASL_SSL settings). */
  ChaosTally(
      String bootstrap, Properties clientProperties, String resultsTopic, String deadLetterTopic) {
    this.resultsTopic = resultsTopic;
    this.reader =
        new ResultsReader(
            bootstrap,
            clientProperties,
            List.of(resultsTopic, deadLetterTopic),
            "chaos-tally",
            this::onBatch);
  }

  /** Where a record came from, as a dead letter names it. */
  static String source(String topic, long partition, long offset) {
    return topic + "/" + partition + "@" + offset;
  }

  private synchronized void onBatch(ConsumerRecords<byte[], byte[]> records, long arrivedNanos) {
    for (ConsumerRecord<byte[], byte[]> record : records) {
      try {
        if (record.topic().equals(resultsTopic)) {
          InferenceResult r = ResultsReader.decode(resultWire, record);
          results.computeIfAbsent(r.getRequestId(), id -> new ArrayList<>(1)).add(r);
          resultRecords++;
        } else {
          DeadLetter d = ResultsReader.decode(deadLetterWire, record);
          deadLetters
              .computeIfAbsent(
                  source(d.getSourceTopic(), d.getPartition(), d.getOffset()),
                  s -> new ArrayList<>(1))
              .add(d);
          deadLetterRecords++;
        }
      } catch (AvroWire.InvalidRecordException e) {
        undecodable++;
      }
    }
  }

  synchronized long resultRecords() {
    return resultRecords;
  }

  /** Request ids with at least one result. */
  synchronized long distinctResultIds() {
    return results.size();
  }

  synchronized long deadLetterRecords() {
    return deadLetterRecords;
  }

  synchronized long undecodable() {
    return undecodable;
  }

  /** The results of a request id (empty when none). */
  synchronized List<InferenceResult> results(String requestId) {
    return List.copyOf(results.getOrDefault(requestId, List.of()));
  }

  /** The dead letters of a source record (empty when none). */
  synchronized List<DeadLetter> deadLetters(String source) {
    return List.copyOf(deadLetters.getOrDefault(source, List.of()));
  }

  synchronized Map<String, List<InferenceResult>> allResults() {
    return new HashMap<>(results);
  }

  synchronized Map<String, List<DeadLetter>> allDeadLetters() {
    return new HashMap<>(deadLetters);
  }

  /** Results per status. */
  synchronized Map<String, Long> byStatus() {
    Map<String, Long> out = new TreeMap<>();
    results.values().forEach(l -> l.forEach(r -> out.merge(r.getStatus(), 1L, Long::sum)));
    return out;
  }

  /** Per status, the error text of one result that had one (SHED results may have none). */
  synchronized Map<String, String> sampleErrors() {
    Map<String, String> out = new TreeMap<>();
    results
        .values()
        .forEach(
            l ->
                l.forEach(
                    r -> {
                      if (r.getError() != null) {
                        out.putIfAbsent(r.getStatus(), r.getError());
                      }
                    }));
    return out;
  }

  /**
   * Per status, the median and largest latency in ms (for SHED: from creation to the decision,
   * which tells a backlog ahead of the scheduler from a policy's choice).
   */
  synchronized String latencies() {
    Map<String, List<Double>> by = new TreeMap<>();
    results
        .values()
        .forEach(
            l ->
                l.forEach(
                    r ->
                        by.computeIfAbsent(r.getStatus(), k -> new ArrayList<>())
                            .add(r.getLatencyMs())));
    StringBuilder out = new StringBuilder();
    by.forEach(
        (status, values) -> {
          values.sort(null);
          out.append(out.length() == 0 ? "" : ", ")
              .append(
                  String.format(
                      java.util.Locale.ROOT,
                      "%s p50 %.0f ms, max %.0f ms",
                      status,
                      values.get(values.size() / 2),
                      values.get(values.size() - 1)));
        });
    return out.toString();
  }

  /** Results per policy version (0: the built-in fallback heuristic). */
  synchronized Map<Long, Long> byPolicyVersion() {
    Map<Long, Long> out = new TreeMap<>();
    results.values().forEach(l -> l.forEach(r -> out.merge(r.getPolicyVersion(), 1L, Long::sum)));
    return out;
  }

  /** Waits until {@code reached} holds or the job is no longer healthy; false on timeout. */
  boolean await(BooleanSupplier reached, BooleanSupplier givenUp, Duration timeout)
      throws InterruptedException {
    return reader.await(reached, givenUp, timeout);
  }

  @Override
  public void close() throws InterruptedException {
    reader.close();
  }
}
