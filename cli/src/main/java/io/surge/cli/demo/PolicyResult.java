package io.surge.cli.demo;

import io.surge.cli.load.LoadCounts;
import io.surge.schema.ResultStatus;
import io.surge.state.metrics.Scoreboard;

/**
 * What one policy's run measured.
 *
 * @param policy the policy's name (or ONNX file)
 * @param sent what the load generator sent (measured requests only)
 * @param tallies results by status and variant, duplicates, warm-up counts
 * @param summary the scored figures of the measured requests
 * @param timeline arrivals and outcomes per second
 * @param drained whether every sent request had its result before the drain timeout
 * @param decisionDelay milliseconds from creation to the scheduler's decision, per request
 */
public record PolicyResult(
    String policy,
    LoadCounts sent,
    RunCollector.Snapshot tallies,
    Scoreboard.Summary summary,
    Timeline timeline,
    boolean drained,
    Samples decisionDelay) {

  /** Requests the broker acknowledged: each must end in exactly one result. */
  public long expectedResults() {
    return sent.valid() - sent.failed();
  }

  /** Distinct measured requests with a result. */
  public long results() {
    return tallies.results();
  }

  public long count(ResultStatus outcome) {
    return tallies.count(outcome);
  }
}
