package io.surge.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceWorkloadTest {

  private static final String AZURE = "deploy/data/azure-llm-inference-conv-2023.csv";

  @TempDir Path dir;

  @Test
  void readsTheTimestampColumnOfTheAzureTrace() {
    TraceWorkload spec = (TraceWorkload) WorkloadSpec.parse("trace:" + AZURE);
    double[] replay = Arrivals.drain(spec.newProcess(1));

    assertThat(spec.traceLength()).isEqualTo(19_366);
    assertThat(replay).hasSize(19_366).isEqualTo(spec.arrivals());
    assertThat(replay[replay.length - 1] / 60).isBetween(55.0, 60.0);
    assertThat(spec.meanRate()).isCloseTo(5.5, within(0.2));
  }

  @Test
  void readsFractionalTimestampsExactly() throws IOException {
    Path file =
        write(
            "TIMESTAMP,ContextTokens\n"
                + "2023-11-16 18:15:46.6805900,374\n"
                + "2023-11-16 18:15:47.1805900,1\n"
                + "2023-11-16 18:16:46.68059,2\n");
    TraceWorkload spec = (TraceWorkload) WorkloadSpec.parse("trace:" + file);
    assertThat(spec.arrivals()).containsExactly(new double[] {0, 0.5, 60}, within(1e-9));
  }

  @Test
  void readsAnArrivalMsColumnAndSortsIt() throws IOException {
    Path file = write("service,arrival_ms\na,1500\nb,1000\nc,4000\nd,1200.5\n");
    TraceWorkload spec = (TraceWorkload) WorkloadSpec.parse("trace:" + file);
    assertThat(spec.arrivals()).containsExactly(new double[] {0, 0.2005, 0.5, 3.0}, within(1e-9));
  }

  @Test
  void rateMultipliesTheCountAndKeepsTheSpan() {
    TraceWorkload once = (TraceWorkload) WorkloadSpec.parse("trace:" + AZURE);
    TraceWorkload scaled = (TraceWorkload) WorkloadSpec.parse("trace:" + AZURE + ",rate=2.5");
    double[] replay = Arrivals.drain(scaled.newProcess(3));

    // three copies thinned with p = 5/6: binomial count around 2.5 n
    double n = 3.0 * once.traceLength();
    double sd = Math.sqrt(n * (5 / 6.0) * (1 / 6.0));
    assertThat((double) replay.length).isCloseTo(2.5 * once.traceLength(), within(5 * sd));
    assertThat(replay[replay.length - 1]).isLessThan(once.tracePeriod());
    assertThat(replay[replay.length - 1]).isGreaterThan(0.99 * once.tracePeriod());
    assertThat(scaled.meanRate()).isCloseTo(2.5 * once.meanRate(), within(1e-9));
  }

  @Test
  void integerRateKeepsTheRecordedTraceAsOneCopy() {
    TraceWorkload once = (TraceWorkload) WorkloadSpec.parse("trace:" + AZURE);
    double[] doubled =
        Arrivals.drain(WorkloadSpec.parse("trace:" + AZURE + ",rate=2").newProcess(8));
    assertThat(doubled).hasSize(2 * once.traceLength());
    java.util.Set<Double> replayed = new java.util.HashSet<>();
    java.util.Arrays.stream(doubled).forEach(replayed::add);
    assertThat(java.util.Arrays.stream(once.arrivals()).allMatch(replayed::contains)).isTrue();
  }

  @Test
  void speedCompressesTime() {
    double[] normal = Arrivals.drain(WorkloadSpec.parse("trace:" + AZURE).newProcess(1));
    double[] fast = Arrivals.drain(WorkloadSpec.parse("trace:" + AZURE + ",speed=2").newProcess(1));
    assertThat(fast).hasSameSizeAs(normal);
    assertThat(fast[fast.length - 1]).isCloseTo(normal[normal.length - 1] / 2, within(1e-9));
  }

  @Test
  void hiddenStateIsTheCountInTheNextSecond() throws IOException {
    Path file = write("arrival_ms\n0\n100\n900\n1050\n1100\n2500\n");
    ArrivalProcess process = WorkloadSpec.parse("trace:" + file).newProcess(1);
    int[] expected = {2, 3, 2, 1, 0, 0};
    for (int e : expected) {
      process.nextArrival();
      assertThat(process.hiddenState()).isEqualTo(e);
    }
    assertThat(process.nextArrival()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(process.nextArrivalNanos()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void relativeFilesResolveAgainstTheBaseDirectory() throws IOException {
    write("arrival_ms\n0\n1000\n");
    WorkloadSpec spec = WorkloadSpec.parse("trace:trace.csv,rate=3", dir);
    assertThat(spec.toSpec()).isEqualTo("trace:trace.csv,rate=3");
  }

  private Path write(String csv) throws IOException {
    Path file = dir.resolve("trace.csv");
    Files.writeString(file, csv);
    return file;
  }
}
