package io.surge.cli.chaos;

import io.surge.cli.results.ResultsReader;
import io.surge.schema.InferenceResult;
import io.surge.schema.wire.AvroWire;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * The soak's count of results, {@code read_committed}, in memory that does not grow with what it
 * counts beyond one bit per request: request ids are {@code <prefix><n>} and each is a bit (seen,
 * seen twice), so that the heap the soak samples is the job's, not the tally's. The capacity
 * probe's OK completion times are kept (a few thousand) to measure throughput.
 */
final class SoakTally implements AutoCloseable {

  private final String resultsTopic;
  private final String probePrefix;
  private final String soakPrefix;
  private final AvroWire<InferenceResult> wire = AvroWire.of(InferenceResult.class);
  private final BitSet probeSeen = new BitSet();
  private final BitSet soakSeen = new BitSet();
  private final BitSet soakDuplicated = new BitSet();
  private final List<Instant> probeOkCompletions = new ArrayList<>();
  private final Map<String, Long> soakByStatus = new TreeMap<>();
  private long probeResults;
  private long soakResults;
  private long unexpected;
  private long undecodable;
  private long deadLetters;
  private final ResultsReader reader;

  SoakTally(
      String bootstrap,
      String resultsTopic,
      String deadLetterTopic,
      String probePrefix,
      String soakPrefix) {
    this.resultsTopic = resultsTopic;
    this.probePrefix = probePrefix;
    this.soakPrefix = soakPrefix;
    this.reader =
        new ResultsReader(
            bootstrap, List.of(resultsTopic, deadLetterTopic), "chaos-soak", this::onBatch);
  }

  private synchronized void onBatch(ConsumerRecords<byte[], byte[]> records, long arrivedNanos) {
    for (ConsumerRecord<byte[], byte[]> record : records) {
      if (!record.topic().equals(resultsTopic)) {
        deadLetters++;
        continue;
      }
      try {
        count(ResultsReader.decode(wire, record));
      } catch (AvroWire.InvalidRecordException e) {
        undecodable++;
      }
    }
  }

  private void count(InferenceResult r) {
    String id = r.getRequestId();
    if (id.startsWith(soakPrefix)) {
      int n = Integer.parseInt(id.substring(soakPrefix.length()));
      if (soakSeen.get(n)) {
        soakDuplicated.set(n);
      }
      soakSeen.set(n);
      soakResults++;
      soakByStatus.merge(r.getStatus(), 1L, Long::sum);
    } else if (id.startsWith(probePrefix)) {
      probeSeen.set(Integer.parseInt(id.substring(probePrefix.length())));
      probeResults++;
      if (r.getStatus().equals("OK")) {
        probeOkCompletions.add(r.getCompletedAt());
      }
    } else {
      unexpected++;
    }
  }

  /** Distinct probe requests with a result. */
  synchronized long probeAnswered() {
    return probeSeen.cardinality();
  }

  /** OK probe results completed in {@code [from, to)}. */
  synchronized long probeOkBetween(Instant from, Instant to) {
    return probeOkCompletions.stream().filter(t -> !t.isBefore(from) && t.isBefore(to)).count();
  }

  /** Distinct soak requests with a result. */
  synchronized long soakAnswered() {
    return soakSeen.cardinality();
  }

  synchronized long soakResults() {
    return soakResults;
  }

  /** Soak requests among the first {@code sent} without a result. */
  synchronized long soakMissing(int sent) {
    return sent - soakSeen.get(0, sent).cardinality();
  }

  synchronized long soakDuplicated() {
    return soakDuplicated.cardinality();
  }

  /** Soak results for ids at or beyond {@code sent}, or with no known prefix. */
  synchronized long unexpected(int sent) {
    return unexpected + soakSeen.get(sent, Math.max(sent, soakSeen.length())).cardinality();
  }

  synchronized long undecodable() {
    return undecodable;
  }

  synchronized long deadLetters() {
    return deadLetters;
  }

  synchronized Map<String, Long> soakByStatus() {
    return new TreeMap<>(soakByStatus);
  }

  boolean await(BooleanSupplier reached, Duration timeout) throws InterruptedException {
    return reader.await(reached, () -> false, timeout);
  }

  @Override
  public void close() throws InterruptedException {
    reader.close();
  }
}
