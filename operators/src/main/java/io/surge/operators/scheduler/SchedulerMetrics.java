package io.surge.operators.scheduler;

import io.surge.schema.ResultStatus;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The scheduler's decision metrics, beside its plain counters: decisions per variant ({@code
 * variant.<name>.decisions}, shed as the variant {@code shed}), the SHED results ({@code
 * status.SHED.results}, the same labelled counter the invoker keeps for the other statuses), the
 * shed rate per second, and the decision latency (request created to decided, ms) as a histogram.
 */
final class SchedulerMetrics {

  static final String VARIANT_GROUP = "variant";
  static final String DECISIONS = "decisions";
  static final String SHED_VARIANT = "shed";
  static final String SHED_RATE = "shedPerSecond";
  static final String DECISION_LATENCY = "decisionLatencyMs";
  static final String STATUS_GROUP = "status";
  static final String RESULTS = "results";

  private static final int LATENCY_WINDOW = 1024;
  private static final int RATE_SECONDS = 60;

  private final MetricGroup group;
  private final Map<String, Counter> decisions = new HashMap<>();
  private final Counter shedResults;
  private final Histogram decisionLatency;

  SchedulerMetrics(MetricGroup group) {
    this.group = group;
    this.shedResults = group.addGroup(STATUS_GROUP, ResultStatus.SHED.name()).counter(RESULTS);
    group.meter(SHED_RATE, new MeterView(shedResults, RATE_SECONDS));
    this.decisionLatency =
        group.histogram(DECISION_LATENCY, new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
  }

  /** A request served with {@code variant}, decided {@code latencyMs} after it was created. */
  void onDispatch(String variant, long latencyMs) {
    decisionsOf(variant).inc();
    decisionLatency.update(latencyMs);
  }

  /** A request shed, decided {@code latencyMs} after it was created. */
  void onShed(long latencyMs) {
    decisionsOf(SHED_VARIANT).inc();
    shedResults.inc();
    decisionLatency.update(latencyMs);
  }

  private Counter decisionsOf(String variant) {
    Counter counter = decisions.get(variant);
    if (counter == null) {
      counter = group.addGroup(VARIANT_GROUP, variant).counter(DECISIONS);
      decisions.put(variant, counter);
    }
    return counter;
  }
}
