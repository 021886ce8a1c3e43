package io.surge.operators.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class SchedulerMetricsTest {

  /** Keeps every metric registered on it by dotted name (key.value. for key/value groups). */
  private static final class Recording extends UnregisteredMetricsGroup {
    private final String prefix;
    private final Map<String, Metric> metrics;

    Recording(String prefix, Map<String, Metric> metrics) {
      this.prefix = prefix;
      this.metrics = metrics;
    }

    @Override
    public Counter counter(String name) {
      return counter(name, new SimpleCounter());
    }

    @Override
    public <C extends Counter> C counter(String name, C counter) {
      metrics.put(prefix + name, counter);
      return counter;
    }

    @Override
    public <M extends Meter> M meter(String name, M meter) {
      metrics.put(prefix + name, meter);
      return meter;
    }

    @Override
    public <H extends Histogram> H histogram(String name, H histogram) {
      metrics.put(prefix + name, histogram);
      return histogram;
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
      return new Recording(prefix + key + "." + value + ".", metrics);
    }
  }

  private final Map<String, Metric> registered = new HashMap<>();
  private final SchedulerMetrics metrics = new SchedulerMetrics(new Recording("", registered));

  @Test
  void countsDecisionsPerVariantShedAsAVariantAndAResult() {
    metrics.onDispatch("small", 3);
    metrics.onDispatch("small", 5);
    metrics.onDispatch("large", 7);
    metrics.onShed(40);

    assertThat(count("variant.small.decisions")).isEqualTo(2);
    assertThat(count("variant.large.decisions")).isEqualTo(1);
    assertThat(count("variant.shed.decisions")).isEqualTo(1);
    assertThat(count("status.SHED.results")).isEqualTo(1);
    Histogram latency = (Histogram) registered.get("decisionLatencyMs");
    assertThat(latency.getCount()).isEqualTo(4);
    assertThat(latency.getStatistics().getMax()).isEqualTo(40);
    Meter shedRate = (Meter) registered.get("shedPerSecond");
    assertThat(shedRate.getCount()).isEqualTo(1);
  }

  private long count(String name) {
    return ((Counter) registered.get(name)).getCount();
  }
}
