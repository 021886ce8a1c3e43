package io.surge.operators.invoke;

import io.surge.schema.InferenceResult;
import io.surge.schema.ResultStatus;
import java.util.function.IntSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The invoker's metrics: results per status (one counter each, and {@code status.<S>.results}),
 * fail-fast refusals of open circuits, health changes, end-to-end latency of its results (created
 * to completed, ms), calls in flight, and per server a {@code healthy} gauge (1 or 0) and its
 * breaker's state. Updated from HTTP client threads, so the counters are thread-safe.
 */
final class InvokerMetrics {

  static final String OK = "resultsOk";
  static final String LATE = "resultsLate";
  static final String FAILED = "resultsFailed";
  static final String CIRCUIT_OPEN = "circuitOpenRefusals";
  static final String HEALTH_CHANGES = "serverHealthChanges";
  static final String LATENCY = "latencyMs";
  static final String IN_FLIGHT = "callsInFlight";
  static final String SERVER_GROUP = "server";
  static final String HEALTHY = "healthy";

  /** Results per status as one labelled counter ({@code status} group), as the scheduler's SHED. */
  public static final String STATUS_GROUP = "status";

  public static final String RESULTS = "results";

  /** Per server: the circuit breaker's state, 0 closed, 1 half-open (probing), 2 open. */
  static final String BREAKER_STATE = "breakerState";

  private static final int LATENCY_WINDOW = 1024;

  private final MetricGroup group;
  private final Counter ok;
  private final Counter late;
  private final Counter failed;
  private final Counter circuitOpen;
  private final Counter healthChanges;
  private final Histogram latency;
  private final Counter[] resultsByStatus = new Counter[ResultStatus.values().length];

  InvokerMetrics(MetricGroup group, IntSupplier inFlight) {
    this.group = group;
    this.ok = group.counter(OK, new ThreadSafeSimpleCounter());
    this.late = group.counter(LATE, new ThreadSafeSimpleCounter());
    this.failed = group.counter(FAILED, new ThreadSafeSimpleCounter());
    this.circuitOpen = group.counter(CIRCUIT_OPEN, new ThreadSafeSimpleCounter());
    this.healthChanges = group.counter(HEALTH_CHANGES, new ThreadSafeSimpleCounter());
    this.latency = group.histogram(LATENCY, new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
    group.gauge(IN_FLIGHT, inFlight::getAsInt);
    for (ResultStatus status : ResultStatus.values()) {
      if (status != ResultStatus.SHED) {
        resultsByStatus[status.ordinal()] =
            group
                .addGroup(STATUS_GROUP, status.name())
                .counter(RESULTS, new ThreadSafeSimpleCounter());
      }
    }
  }

  void onResult(InferenceResult result) {
    switch (ResultStatus.valueOf(result.getStatus())) {
      case OK -> ok.inc();
      case LATE -> late.inc();
      case FAILED -> failed.inc();
      case SHED -> {
        // the invoker never sheds; the scheduler counts its own
      }
    }
    Counter byStatus = resultsByStatus[ResultStatus.valueOf(result.getStatus()).ordinal()];
    if (byStatus != null) {
      byStatus.inc();
    }
    latency.update(Math.round(result.getLatencyMs()));
  }

  void onCircuitOpenRefusal() {
    circuitOpen.inc();
  }

  void onHealthChange() {
    healthChanges.inc();
  }

  /**
   * Registers the per-server gauges (health, breaker state); called once per server, when its
   * breaker is made.
   */
  void registerServer(String server, ServerHealth health, CircuitBreaker breaker) {
    MetricGroup serverGroup = group.addGroup(SERVER_GROUP, server);
    serverGroup.gauge(HEALTHY, () -> health.isHealthy(server) ? 1 : 0);
    serverGroup.gauge(BREAKER_STATE, () -> breakerState(breaker.state()));
  }

  static int breakerState(CircuitBreaker.State state) {
    return switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }
}
