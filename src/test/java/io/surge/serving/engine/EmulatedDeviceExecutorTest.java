package io.surge.serving.engine;

import static io.surge.serving.engine.TinyOnnxModels.INPUT;
import static io.surge.serving.engine.TinyOnnxModels.LOGITS;
import static io.surge.serving.engine.TinyOnnxModels.OUTPUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.surge.serving.engine.DeviceExecutor.ExecutionHook;
import io.surge.serving.engine.DeviceExecutor.Options;
import io.surge.serving.engine.ModelConfig.DynamicBatching;
import io.surge.serving.engine.ModelConfig.QueuePolicy;
import io.surge.serving.engine.ModelConfig.TimeoutAction;
import io.surge.serving.engine.ModelExecutor.ExecutionResult;
import io.surge.serving.engine.ModelStatistics.BatchStat;
import io.surge.serving.protocol.Datatype;
import io.surge.serving.protocol.InferTensor;
import io.surge.state.catalog.LatencyProfile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulated accelerator behind the same executor as ONNX Runtime: each batch holds the device
 * for the profiled latency (a fake clock records the holds, so nothing here sleeps or depends on
 * timing), outputs are zeros of the declared shapes, and batching, queue limits and 503s are those
 * of the ORT backend.
 */
class EmulatedDeviceExecutorTest {

  private static final int FEATURES = 4;
  private static final int CLASSES = 3;
  private static final long MS = 1_000_000L;

  /** mlp: 10 ms at batch 1, 16 ms at 4, 24 ms at 8 (other servers' rows must be ignored). */
  private static final LatencyProfile PROFILE =
      new LatencyProfile(
          "now",
          "test",
          List.of(
              new LatencyProfile.Entry("edge-0", "mlp", 1, 10, 12, 5),
              new LatencyProfile.Entry("edge-0", "mlp", 4, 16, 18, 5),
              new LatencyProfile.Entry("edge-0", "mlp", 8, 24, 30, 5),
              new LatencyProfile.Entry("edge-1", "mlp", 1, 99, 99, 5)));

  @TempDir Path repo;
  private DeviceExecutor executor;
  private final FakeClock clock = new FakeClock();

  @AfterEach
  void tearDown() {
    if (executor != null) {
      executor.close();
    }
  }

  @Test
  void aBatchHoldsTheDeviceForItsProfiledLatencyTimesTheScale() throws Exception {
    addModel(batched("mlp", 16, DynamicBatching.withDelay(0)));
    executor = open(2.0, DeviceConditions.NONE, Options.defaults());

    // measured (1), interpolated (2: 10 + 6/3), extrapolated from the two largest (12: 24 + 4*2)
    assertThat(holdOf(1)).isEqualTo(20 * MS);
    assertThat(holdOf(2)).isEqualTo(24 * MS);
    assertThat(holdOf(12)).isEqualTo(64 * MS);

    ModelStatistics stats = executor.statistics("mlp");
    assertThat(stats.executionCount()).isEqualTo(3);
    assertThat(stats.inferenceCount()).isEqualTo(15);
    assertThat(stats.computeInfer().ns()).isEqualTo((20 + 24 + 64) * MS);
    assertThat(batchCounts(stats)).isEqualTo(Map.of(1, 1L, 2, 1L, 12, 1L));
  }

  @Test
  void answersZerosOfTheDeclaredOutputsWithoutComputing() throws Exception {
    addModel(batched("mlp", 16, DynamicBatching.withDelay(0)));
    executor = open(1.0, DeviceConditions.NONE, Options.defaults());

    ExecutionResult all = infer(3, List.of()).get(30, TimeUnit.SECONDS);
    ExecutionResult one = infer(2, List.of(OUTPUT)).get(30, TimeUnit.SECONDS);

    assertThat(all.outputs()).extracting(InferTensor::name).containsExactly(LOGITS, OUTPUT);
    for (InferTensor output : all.outputs()) {
      assertThat(output.datatype()).isEqualTo(Datatype.FP32);
      assertThat(output.shape()).containsExactly(3, CLASSES);
      assertThat(output.asFloats()).hasSize(3 * CLASSES).containsOnly(0f);
    }
    assertThat(one.outputs()).extracting(InferTensor::name).containsExactly(OUTPUT);
    assertThat(one.outputs().get(0).shape()).containsExactly(2, CLASSES);
    assertThat(executor.model("mlp").platform()).isEqualTo(ModelConfig.ONNX_PLATFORM);
  }

  @Test
  void queuedRequestsBatchAsWithOnnxRuntimeAndTheBatchHoldsForItsSize() throws Exception {
    addModel(batched("mlp", 8, DynamicBatching.withDelay(0)));
    Gate gate = new Gate();
    executor = open(1.0, DeviceConditions.NONE, Options.defaults().withExecutionHook(gate));
    CompletableFuture<ExecutionResult> blocker = infer(1, List.of());
    gate.awaitEntered();

    List<CompletableFuture<ExecutionResult>> queued = new ArrayList<>();
    for (int rows : new int[] {1, 2, 3, 1}) {
      queued.add(infer(rows, List.of()));
    }
    gate.release();

    assertThat(blocker.get(30, TimeUnit.SECONDS).computeNanos()).isEqualTo(10 * MS);
    for (CompletableFuture<ExecutionResult> f : queued) {
      // one batch of 7 rows: 16 + 3/4 * 8 = 22 ms, charged to each of its requests
      assertThat(f.get(30, TimeUnit.SECONDS).computeNanos()).isEqualTo(22 * MS);
    }
    assertThat(queued.get(2).get().outputs().get(0).shape()).containsExactly(3, CLASSES);
    assertThat(batchCounts(executor.statistics("mlp"))).isEqualTo(Map.of(1, 1L, 7, 1L));
    assertThat(clock.holds).containsExactly(10 * MS, 22 * MS);
    assertThat(executor.peakConcurrentExecutions()).isEqualTo(1);
  }

  @Test
  void aFullQueueAndAnExpiredQueueTimeoutGet503AsWithOnnxRuntime() throws Exception {
    QueuePolicy policy = new QueuePolicy(TimeoutAction.REJECT, 60_000_000, true, 2);
    addModel(batched("mlp", 8, new DynamicBatching(0, List.of(), policy)));
    Gate gate = new Gate();
    executor = open(1.0, DeviceConditions.NONE, Options.defaults().withExecutionHook(gate));
    CompletableFuture<ExecutionResult> blocker = infer(1, List.of());
    gate.awaitEntered();

    CompletableFuture<ExecutionResult> expiring =
        executor.infer("mlp", List.of(input(1)), List.of(), 1000, 0);
    ModelExecutor.ExecutionException timeout = failureOf(expiring);
    CompletableFuture<ExecutionResult> second = infer(1, List.of());
    CompletableFuture<ExecutionResult> third = infer(1, List.of());
    CompletableFuture<ExecutionResult> fourth = infer(1, List.of());

    assertThat(timeout.httpStatus()).isEqualTo(503);
    assertThat(timeout.getMessage()).isEqualTo("Request timeout expired");
    assertThat(fourth).isCompletedExceptionally();
    assertThat(failureOf(fourth).httpStatus()).isEqualTo(503);
    assertThat(failureOf(fourth).getMessage()).isEqualTo("Exceeds maximum queue size");
    gate.release();
    blocker.get(30, TimeUnit.SECONDS);
    second.get(30, TimeUnit.SECONDS);
    third.get(30, TimeUnit.SECONDS);
    assertThat(executor.statistics("mlp").fail().count()).isEqualTo(2);
  }

  @Test
  void disturbancesSlowDownFailAndTakeTheDeviceDownInTheirWindows() throws Exception {
    addModel(batched("mlp", 8, DynamicBatching.withDelay(0)));
    DeviceConditions conditions =
        seconds -> {
          if (seconds >= 10 && seconds < 20) {
            return new DeviceConditions.State(3, false, false);
          }
          if (seconds >= 30 && seconds < 35) {
            return new DeviceConditions.State(1, false, true);
          }
          if (seconds >= 40 && seconds < 45) {
            return new DeviceConditions.State(1, true, false);
          }
          return DeviceConditions.State.NORMAL;
        };
    executor = open(1.0, conditions, Options.defaults());

    assertThat(holdOf(1)).isEqualTo(10 * MS);
    clock.advanceToSeconds(12);
    assertThat(holdOf(1)).isEqualTo(30 * MS);

    clock.advanceToSeconds(31);
    ModelExecutor.ExecutionException error = failureOf(infer(1, List.of()));
    assertThat(error.httpStatus()).isEqualTo(500);
    assertThat(error.dropsConnection()).isFalse();

    clock.advanceToSeconds(41);
    ModelExecutor.ExecutionException down = failureOf(infer(1, List.of()));
    assertThat(down.dropsConnection()).isTrue();
    assertThat(down.getMessage()).contains("outage");

    clock.advanceToSeconds(50);
    assertThat(holdOf(4)).isEqualTo(16 * MS);
    // refused calls never reached the device
    assertThat(clock.holds).containsExactly(10 * MS, 30 * MS, 16 * MS);
    assertThat(executor.statistics("mlp").fail().count()).isEqualTo(2);
  }

  @Test
  void aBatchRunningWhenAnOutageBeginsFails() throws Exception {
    addModel(batched("mlp", 8, DynamicBatching.withDelay(0)));
    // down from 5 s; the batch starts at 4.995 s and holds 10 ms
    DeviceConditions conditions = s -> new DeviceConditions.State(1, s >= 5, false);
    executor = open(1.0, conditions, Options.defaults());
    clock.advanceToSeconds(4.995);

    assertThat(failureOf(infer(1, List.of())).dropsConnection()).isTrue();
    assertThat(clock.holds).containsExactly(10 * MS);
  }

  @Test
  void lateWakeUpsOfTheHostDoNotAddUpOverBackToBackBatches() throws Exception {
    addModel(batched("mlp", 8, DynamicBatching.withDelay(0)));
    clock.overshootNanos = 4 * MS; // the host wakes the execution thread 4 ms late every time
    long t0 = clock.nanoTime();
    executor = open(1.0, DeviceConditions.NONE, Options.defaults());

    infer(1, List.of()).get(30, TimeUnit.SECONDS);
    infer(1, List.of()).get(30, TimeUnit.SECONDS);
    infer(1, List.of()).get(30, TimeUnit.SECONDS);

    // back to back: each batch starts at the previous one's scheduled end, 3 x 10 ms in all,
    // plus only the last wake-up's delay
    assertThat(clock.nanoTime() - t0).isEqualTo(34 * MS);
    assertThat(clock.holds).containsExactly(10 * MS, 6 * MS, 6 * MS);

    clock.advanceToSeconds(60); // idle: the next batch starts when it is taken
    long t1 = clock.nanoTime();
    infer(1, List.of()).get(30, TimeUnit.SECONDS);
    assertThat(clock.nanoTime() - t1).isEqualTo(14 * MS);
  }

  @Test
  void aModelTheProfileDoesNotCoverIsRefusedAtStart() {
    addModel(batched("other", 8, DynamicBatching.withDelay(0)));

    assertThatThrownBy(() -> open(1.0, DeviceConditions.NONE, Options.defaults()))
        .isInstanceOf(ModelRepositoryException.class)
        .hasMessageContaining("'other'")
        .hasMessageContaining("profile");
  }

  // --- helpers ---

  private DeviceExecutor open(double scale, DeviceConditions conditions, Options options) {
    EmulatedDevice device =
        EmulatedDevice.of(PROFILE, scale)
            .withProfileServer("edge-0")
            .withConditions(conditions)
            .withClock(clock);
    return DeviceExecutor.emulated(repo, device, options);
  }

  /** Runs one request of {@code rows} alone and returns how long it held the device. */
  private long holdOf(int rows) throws Exception {
    long compute = infer(rows, List.of()).get(30, TimeUnit.SECONDS).computeNanos();
    assertThat(clock.holds.get(clock.holds.size() - 1)).isEqualTo(compute);
    return compute;
  }

  private CompletableFuture<ExecutionResult> infer(int rows, List<String> outputs) {
    return executor.infer("mlp", List.of(input(rows)), outputs, 0, 0);
  }

  private static InferTensor input(int rows) {
    return InferTensor.fp32(
        INPUT, new long[] {rows, FEATURES}, TinyOnnxModels.randomRows(rows, rows, FEATURES));
  }

  private ModelConfig batched(String name, int maxBatch, DynamicBatching batching) {
    return TinyOnnxModels.gemmReluConfig(name, maxBatch, FEATURES, CLASSES)
        .withDynamicBatching(batching);
  }

  private void addModel(ModelConfig config) {
    ModelRepository.write(repo, config, 1, TinyOnnxModels.gemmRelu(FEATURES, CLASSES, 11, 0));
  }

  private static Map<Integer, Long> batchCounts(ModelStatistics stats) {
    return stats.batchStats().stream()
        .collect(Collectors.toMap(BatchStat::batchSize, b -> b.computeInfer().count()));
  }

  private static ModelExecutor.ExecutionException failureOf(CompletableFuture<?> future) {
    Throwable thrown = catchThrowable(() -> future.get(30, TimeUnit.SECONDS));
    assertThat(thrown).isInstanceOf(java.util.concurrent.ExecutionException.class);
    assertThat(thrown.getCause()).isInstanceOf(ModelExecutor.ExecutionException.class);
    return (ModelExecutor.ExecutionException) thrown.getCause();
  }

  /** Time that moves only when the device waits (to the end of its hold) or a test advances it. */
  static final class FakeClock implements DeviceClock {
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final long start = now.get();
    final List<Long> holds = new CopyOnWriteArrayList<>();
    volatile long overshootNanos;

    @Override
    public long nanoTime() {
      return now.get();
    }

    @Override
    public void sleepUntil(long deadlineNanos) {
      holds.add(deadlineNanos - now.get());
      now.accumulateAndGet(deadlineNanos + overshootNanos, Math::max);
    }

    void advanceToSeconds(double seconds) {
      now.set(start + Math.round(seconds * 1e9));
    }
  }

  /** Blocks the first execution until released, so tests can fill queues deterministically. */
  private static final class Gate implements ExecutionHook {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger calls = new AtomicInteger();

    @Override
    public void beforeExecution(String model, int batchSize) throws InterruptedException {
      if (calls.getAndIncrement() == 0) {
        entered.countDown();
        released.await();
      }
    }

    void awaitEntered() throws InterruptedException {
      assertThat(entered.await(30, TimeUnit.SECONDS)).as("first execution started").isTrue();
    }

    void release() {
      released.countDown();
    }
  }
}
