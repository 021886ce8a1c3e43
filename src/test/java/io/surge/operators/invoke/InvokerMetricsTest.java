package io.surge.operators.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.schema.InferenceResult;
import io.surge.schema.ResultStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class InvokerMetricsTest {

  /** Keeps every metric registered on it, by dotted name. */
  private static final class RecordingGroup extends UnregisteredMetricsGroup {
    private final String prefix;
    private final Map<String, Metric> metrics;

    RecordingGroup(String prefix, Map<String, Metric> metrics) {
      this.prefix = prefix;
      this.metrics = metrics;
    }

    @Override
    public <C extends Counter> C counter(String name, C counter) {
      metrics.put(prefix + name, counter);
      return counter;
    }

    @Override
    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
      metrics.put(prefix + name, gauge);
      return gauge;
    }

    @Override
    public <H extends Histogram> H histogram(String name, H histogram) {
      metrics.put(prefix + name, histogram);
      return histogram;
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
      return new RecordingGroup(prefix + key + "." + value + ".", metrics);
    }
  }

  private final Map<String, Metric> registered = new HashMap<>();
  private final InvokerMetrics metrics =
      new InvokerMetrics(new RecordingGroup("", registered), () -> 2);

  @Test
  void countsResultsPerStatusAndRecordsLatency() {
    metrics.onResult(result(ResultStatus.OK, 40.0));
    metrics.onResult(result(ResultStatus.OK, 60.0));
    metrics.onResult(result(ResultStatus.LATE, 140.0));
    metrics.onResult(result(ResultStatus.FAILED, 3.0));
    metrics.onCircuitOpenRefusal();

    assertThat(count(InvokerMetrics.OK)).isEqualTo(2);
    assertThat(count(InvokerMetrics.LATE)).isEqualTo(1);
    assertThat(count(InvokerMetrics.FAILED)).isEqualTo(1);
    assertThat(count(InvokerMetrics.CIRCUIT_OPEN)).isEqualTo(1);
    assertThat(count("status.OK.results")).isEqualTo(2);
    assertThat(count("status.LATE.results")).isEqualTo(1);
    assertThat(count("status.FAILED.results")).isEqualTo(1);
    assertThat(registered).doesNotContainKey("status.SHED.results"); // the scheduler's
    Histogram latency = (Histogram) registered.get(InvokerMetrics.LATENCY);
    assertThat(latency.getCount()).isEqualTo(4);
    assertThat(latency.getStatistics().getMax()).isEqualTo(140);
    assertThat(((Gauge<?>) registered.get(InvokerMetrics.IN_FLIGHT)).getValue()).isEqualTo(2);
  }

  @Test
  void exposesEachServersHealthAndBreakerStateAsGauges() {
    ServerBreakers breakers =
        new ServerBreakers(
            new BreakerSettings(1, 10, 5, 0.5, Duration.ofSeconds(1), Duration.ofSeconds(1)),
            () -> 0L,
            server -> new CompletableFuture<>());
    breakers.addListener((server, healthy) -> metrics.onHealthChange());
    metrics.registerServer("edge-1", breakers, breakers.forServer("edge-1"));
    Gauge<?> healthy = (Gauge<?>) registered.get("server.edge-1.healthy");
    Gauge<?> breakerState = (Gauge<?>) registered.get("server.edge-1.breakerState");
    assertThat(healthy.getValue()).isEqualTo(1);
    assertThat(breakerState.getValue()).isEqualTo(0);

    breakers.forServer("edge-1").onFailure();

    assertThat(healthy.getValue()).isEqualTo(0);
    assertThat(breakerState.getValue()).isEqualTo(2);
    assertThat(count(InvokerMetrics.HEALTH_CHANGES)).isEqualTo(1);
  }

  private long count(String name) {
    return ((Counter) registered.get(name)).getCount();
  }

  private static InferenceResult result(ResultStatus status, double latencyMs) {
    return InferenceResult.newBuilder()
        .setRequestId("r")
        .setService("s")
        .setPolicyVersion(0L)
        .setStatus(status.name())
        .setCreatedAt(Instant.EPOCH)
        .setDecidedAt(Instant.EPOCH)
        .setCompletedAt(Instant.EPOCH)
        .setLatencyMs(latencyMs)
        .setAccuracy(70.0)
        .setReward(0.0)
        .build();
  }
}
