package io.surge.operators.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.operators.TestPolicies;
import io.surge.policy.baseline.GreedySloPolicy;
import io.surge.policy.onnx.OnnxPolicy;
import io.surge.schema.Completion;
import io.surge.schema.Dispatch;
import io.surge.schema.InferenceRequest;
import io.surge.schema.PolicyUpdate;
import io.surge.schema.ResultStatus;
import io.surge.schema.SchedulerInput;
import io.surge.state.EstimatorSettings;
import io.surge.state.ObservationSpec;
import io.surge.state.ServiceTopology;
import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import io.surge.train.export.PolicyModelWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.event.WatermarkEvent;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.LatencyMarker;
import org.apache.flink.streaming.runtime.streamrecord.RecordAttributes;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Decision cost of the scheduler operator: the whole {@code processElement} of a request in the
 * keyed-broadcast operator (key context, heap keyed state with TTL, workload update, mask and
 * observation, policy, routing, pending decision, timer, dispatch or shed emit), for a 5-variant,
 * 2-server service, with a learned ONNX policy and with {@code greedy-slo}. Completions are fed as
 * well (about 8 requests in flight) so the state stays the size it has in a running job; their cost
 * is printed separately. Emitted records go to a counting output (no copy), so the figures are the
 * operator's own work, not the harness's.
 *
 * <p>A benchmark, not a test: it prints figures and asserts only that every request was decided.
 * Its name does not end in {@code Test}, so the default build does not run it. Run:
 *
 * <pre>
 * mvn -B -o test -Dspotless.check.skip=true -Dtest=SchedulerDecisionBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dsurge.bench.requests=200000]
 * </pre>
 */
@Tag("benchmark")
class SchedulerDecisionBenchmark {

  private static final String SERVICE = "image-classification";
  private static final int DEADLINE_MS = 100;
  private static final int HISTORY = EstimatorSettings.defaults().historyLength();
  private static final int IN_FLIGHT = 8;
  private static final int HIDDEN = 64;
  private static final int WARMUP = Integer.getInteger("surge.bench.warmup", 50_000);
  private static final int REQUESTS = Integer.getInteger("surge.bench.requests", 200_000);
  private static final long T0 = 1_000_000_000L;

  @Test
  void onnxPolicy() throws Exception {
    run("onnx (2x" + HIDDEN + " MLP)", true);
  }

  /** For comparison: the ONNX policy's inference alone, on one observation. */
  @Test
  void onnxInferenceAlone() throws Exception {
    Catalog catalog = catalog();
    ServiceTopology topology = ServiceTopology.of(catalog, SERVICE);
    ObservationSpec spec = spec(topology);
    float[] observation = new float[spec.dimension()];
    Arrays.fill(observation, 3f);
    float[] mask = new float[spec.actionCount()];
    Arrays.fill(mask, 1f);
    long[] nanos = new long[REQUESTS];
    try (OnnxPolicy policy =
        OnnxPolicy.load(
            policy(catalog), spec, topology.actionNames(), OnnxPolicy.Options.defaults())) {
      for (int i = 0; i < WARMUP; i++) {
        policy.evaluate(observation, mask);
      }
      for (int i = 0; i < REQUESTS; i++) {
        long t = System.nanoTime();
        policy.evaluate(observation, mask);
        nanos[i] = System.nanoTime() - t;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "onnx policy evaluate alone (2x%d MLP)     %s%n",
        HIDDEN,
        Stats.of(nanos, REQUESTS));
  }

  @Test
  void greedySlo() throws Exception {
    run(GreedySloPolicy.NAME, false);
  }

  private static void run(String label, boolean learned) throws Exception {
    Bench bench = new Bench(learned);
    bench.requests(WARMUP, null, null);
    long[] decide = new long[REQUESTS];
    long[] complete = new long[REQUESTS];
    long gcBefore = gcCount();
    long allocatedBefore = allocatedBytes();
    int completions = bench.requests(REQUESTS, decide, complete);
    long allocated = allocatedBytes() - allocatedBefore;
    long gcs = gcCount() - gcBefore;
    bench.close();

    assertThat(bench.output.dispatches + bench.output.sheds).isEqualTo(WARMUP + REQUESTS);
    assertThat(bench.output.lastPolicyVersion).isEqualTo(learned ? 1 : 0);
    // every completion and every shed closed its decision with a transition
    assertThat(bench.output.transitions).isEqualTo(bench.completed + bench.output.sheds);
    System.out.printf(
        Locale.ROOT,
        "scheduler decision, %-22s %s | completion %s | %d requests, %.1f%% shed,"
            + " %.0f bytes allocated per request (with its completion and the harness loop),"
            + " %d GCs%n",
        label,
        Stats.of(decide, decide.length),
        Stats.of(complete, completions),
        REQUESTS,
        100.0 * bench.output.sheds / (WARMUP + REQUESTS),
        (double) allocated / REQUESTS,
        gcs);
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  private static long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }

  /** The operator in a harness on the heap backend, a request stream and its completions. */
  private static final class Bench {
    final CountingOutput output = new CountingOutput();
    final KeyedBroadcastOperatorTestHarness<String, SchedulerInput, PolicyUpdate, Dispatch> harness;
    final ArrayDeque<String> inFlight = new ArrayDeque<>();
    long now = T0;
    int next;
    long completed;

    Bench(boolean learned) throws Exception {
      Catalog catalog = catalog();
      SchedulerFunction function =
          new SchedulerFunction(
              catalog,
              profile(),
              GreedySloPolicy.NAME,
              HISTORY,
              0.0,
              Duration.ofHours(1),
              16 << 20,
              OnnxPolicy.Mode.SAMPLE);
      harness =
          new KeyedBroadcastOperatorTestHarness<>(
              new CoBroadcastWithKeyedOperator<>(function, List.of(SchedulerState.POLICIES)),
              new SchedulerInputs.ByService(),
              Types.STRING,
              1,
              1,
              0);
      harness.setOutputCreator(serializer -> output);
      harness.setup();
      harness.open();
      harness.setProcessingTime(now);
      if (learned) {
        harness.processBroadcastElement(TestPolicies.update(policy(catalog), 1).build(), now);
      }
    }

    /** Sends {@code n} requests 1 ms apart; returns how many completion timings were taken. */
    int requests(int n, long[] decideNanos, long[] completeNanos) throws Exception {
      int completions = 0;
      for (int i = 0; i < n; i++) {
        now++;
        harness.setProcessingTime(now); // fires due expiry timers, outside the timing
        String id = "req-" + next++;
        StreamRecord<SchedulerInput> request = new StreamRecord<>(request(id, now), now);
        long dispatchedBefore = output.dispatches;
        long t = System.nanoTime();
        harness.processElement(request);
        long spent = System.nanoTime() - t;
        if (decideNanos != null) {
          decideNanos[i] = spent;
        }
        if (output.dispatches > dispatchedBefore) {
          inFlight.add(id);
        }
        if (inFlight.size() > IN_FLIGHT) {
          StreamRecord<SchedulerInput> done = new StreamRecord<>(completion(inFlight.poll()), now);
          t = System.nanoTime();
          harness.processElement(done);
          spent = System.nanoTime() - t;
          completed++;
          if (completeNanos != null) {
            completeNanos[completions++] = spent;
          }
        }
      }
      return completions;
    }

    SchedulerInput request(String id, long createdAt) {
      return SchedulerInput.newBuilder()
          .setService(SERVICE)
          .setRequest(
              InferenceRequest.newBuilder()
                  .setRequestId(id)
                  .setService(SERVICE)
                  .setCreatedAt(Instant.ofEpochMilli(createdAt))
                  .setDeadlineMs(DEADLINE_MS)
                  .build())
          .build();
    }

    SchedulerInput completion(String id) {
      return SchedulerInput.newBuilder()
          .setService(SERVICE)
          .setCompletion(
              Completion.newBuilder()
                  .setRequestId(id)
                  .setService(SERVICE)
                  // the scheduler takes variant and server from its pending decision
                  .setVariant("resnet50")
                  .setServer("edge-0")
                  .setStatus(ResultStatus.OK.name())
                  .setLatencyMs(12)
                  .setCompletedAt(Instant.ofEpochMilli(now))
                  .setReward(75)
                  .build())
          .build();
    }

    void close() throws Exception {
      harness.close();
    }
  }

  /** ResNet-18/34/50/101/152-like variants, both servers hosting all five. */
  static Catalog catalog() {
    String[] names = {"resnet18", "resnet34", "resnet50", "resnet101", "resnet152"};
    double[] accuracy = {69.76, 73.31, 76.13, 77.37, 78.31};
    List<Catalog.Variant> variants = new ArrayList<>();
    Catalog.TensorSpec input = new Catalog.TensorSpec("input", "FP32", List.of(3L, 224L, 224L));
    for (int v = 0; v < names.length; v++) {
      variants.add(new Catalog.Variant(names[v], names[v], accuracy[v], input, "output"));
    }
    List<String> models = List.of(names);
    return new Catalog(
        List.of(new Catalog.Service(SERVICE, DEADLINE_MS, variants)),
        List.of(
            new Catalog.Server("edge-0", "http://edge-0:8000", models),
            new Catalog.Server("edge-1", "http://edge-1:8000", models)));
  }

  static LatencyProfile profile() {
    double[] batch1 = {4, 6, 9, 14, 20};
    List<LatencyProfile.Entry> entries = new ArrayList<>();
    for (String server : List.of("edge-0", "edge-1")) {
      for (int v = 0; v < batch1.length; v++) {
        String model = catalog().services().get(0).variants().get(v).model();
        for (int b : new int[] {1, 4, 8}) {
          double ms = batch1[v] * (1 + 0.3 * (b - 1));
          entries.add(new LatencyProfile.Entry(server, model, b, ms, ms * 1.2, 100));
        }
      }
    }
    return new LatencyProfile("2026-11-26T00:00:00Z", "benchmark", entries);
  }

  /** A PPO-sized actor with seeded random weights: two hidden layers of {@link #HIDDEN}. */
  static byte[] policy(Catalog catalog) {
    ServiceTopology topology = ServiceTopology.of(catalog, SERVICE);
    ObservationSpec spec = spec(topology);
    Random random = new Random(7);
    int d = spec.dimension();
    int a = spec.actionCount();
    float[] std = new float[d];
    Arrays.fill(std, 50f);
    return PolicyModelWriter.forSpec(spec, topology.actionNames())
        .normalisation(new float[d], std)
        .hidden(gaussian(random, d * HIDDEN), new float[HIDDEN])
        .hidden(gaussian(random, HIDDEN * HIDDEN), new float[HIDDEN])
        .output(gaussian(random, HIDDEN * a), new float[a])
        .version(1)
        .toBytes();
  }

  private static ObservationSpec spec(ServiceTopology topology) {
    return ObservationSpec.of(topology, EstimatorSettings.defaults().withHistoryLength(HISTORY));
  }

  private static float[] gaussian(Random random, int n) {
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) (random.nextGaussian() * 0.1);
    }
    return w;
  }

  /** Median, p99, p99.9 and mean of the first {@code n} timings, in microseconds. */
  record Stats(double medianUs, double p99Us, double p999Us, double meanUs) {
    static Stats of(long[] nanos, int n) {
      long[] sorted = Arrays.copyOf(nanos, n);
      Arrays.sort(sorted);
      double sum = 0;
      for (long x : sorted) {
        sum += x;
      }
      return new Stats(
          rank(sorted, 0.5) / 1e3,
          rank(sorted, 0.99) / 1e3,
          rank(sorted, 0.999) / 1e3,
          sum / n / 1e3);
    }

    /** Nearest-rank percentile. */
    private static long rank(long[] sorted, double q) {
      return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "median %6.2f us, p99 %7.2f us, p99.9 %7.2f us, mean %6.2f us",
          medianUs,
          p99Us,
          p999Us,
          meanUs);
    }
  }

  /** Counts what the operator emits, without copying records as the harness's own output does. */
  private static final class CountingOutput implements Output<StreamRecord<Dispatch>> {
    long dispatches;
    long sheds;
    long transitions;
    long lastPolicyVersion = -1;

    @Override
    public void collect(StreamRecord<Dispatch> record) {
      Dispatch d = record.getValue();
      dispatches++;
      lastPolicyVersion = d.getPolicyVersion();
    }

    @Override
    public <X> void collect(OutputTag<X> tag, StreamRecord<X> record) {
      if (tag.getId().equals(SchedulerOutputs.SHED.getId())) {
        sheds++;
      } else {
        transitions++;
      }
    }

    @Override
    public void emitWatermark(Watermark mark) {}

    @Override
    public void emitWatermarkStatus(WatermarkStatus status) {}

    @Override
    public void emitLatencyMarker(LatencyMarker marker) {}

    @Override
    public void emitRecordAttributes(RecordAttributes attributes) {}

    @Override
    public void emitWatermark(WatermarkEvent event) {}

    @Override
    public void close() {}
  }
}
