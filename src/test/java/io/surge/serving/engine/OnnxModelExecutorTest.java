package io.surge.serving.engine;

import static io.surge.serving.engine.TinyOnnxModels.INPUT;
import static io.surge.serving.engine.TinyOnnxModels.LOGITS;
import static io.surge.serving.engine.TinyOnnxModels.OUTPUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.surge.serving.engine.DeviceExecutor.ExecutionHook;
import io.surge.serving.engine.DeviceExecutor.Options;
import io.surge.serving.engine.ModelConfig.DynamicBatching;
import io.surge.serving.engine.ModelConfig.QueuePolicy;
import io.surge.serving.engine.ModelConfig.TensorConfig;
import io.surge.serving.engine.ModelConfig.TimeoutAction;
import io.surge.serving.engine.ModelExecutor.ExecutionResult;
import io.surge.serving.engine.ModelStatistics.BatchStat;
import io.surge.serving.protocol.Datatype;
import io.surge.serving.protocol.InferTensor;
import io.surge.state.onnx.OrtRuntime;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelExecutorTest {

  private static final int FEATURES = 4;
  private static final int CLASSES = 3;

  @TempDir Path repo;
  private DeviceExecutor executor;
  private final ExecutorService clients = Executors.newFixedThreadPool(4);

  @AfterEach
  void tearDown() {
    if (executor != null) {
      executor.close();
    }
    clients.shutdownNow();
  }

  @Test
  void outputsEqualADirectSessionRun() throws Exception {
    addModel(TinyOnnxModels.gemmReluConfig("mlp", 8, FEATURES, CLASSES), 11);
    executor = DeviceExecutor.open(repo);
    float[] rows = TinyOnnxModels.randomRows(3, 3, FEATURES);

    ExecutionResult result =
        executor.infer("mlp", List.of(input(rows, 3)), List.of(), 0, 0).get(30, TimeUnit.SECONDS);

    Map<String, float[]> expected = directRun("mlp", rows, 3);
    assertThat(result.outputs()).extracting(InferTensor::name).containsExactly(LOGITS, OUTPUT);
    for (InferTensor output : result.outputs()) {
      assertThat(output.shape()).containsExactly(3, CLASSES);
      assertThat(output.datatype()).isEqualTo(Datatype.FP32);
      assertThat(output.asFloats()).containsExactly(expected.get(output.name()), within(1e-6f));
    }
    assertThat(result.computeNanos()).isPositive();
  }

  @Test
  void returnsOnlyTheRequestedOutputs() throws Exception {
    addModel(TinyOnnxModels.gemmReluConfig("mlp", 8, FEATURES, CLASSES), 11);
    executor = DeviceExecutor.open(repo);
    float[] rows = TinyOnnxModels.randomRows(4, 1, FEATURES);

    ExecutionResult result =
        executor
            .infer("mlp", List.of(input(rows, 1)), List.of(OUTPUT), 0, 0)
            .get(30, TimeUnit.SECONDS);

    assertThat(result.outputs()).extracting(InferTensor::name).containsExactly(OUTPUT);
    assertThat(result.outputs().get(0).asFloats())
        .containsExactly(directRun("mlp", rows, 1).get(OUTPUT), within(1e-6f));
  }

  @Test
  void describesModelsFromTheirConfig() {
    addModel(
        TinyOnnxModels.gemmReluConfig("mlp", 8, FEATURES, CLASSES)
            .withParameter("accuracy", "76.13"),
        11);
    executor = DeviceExecutor.open(repo);

    ModelInfo info = executor.model("mlp");

    assertThat(executor.models()).containsExactly(info);
    assertThat(info.version()).isEqualTo("1");
    assertThat(info.platform()).isEqualTo("onnxruntime_onnx");
    assertThat(info.maxBatchSize()).isEqualTo(8);
    assertThat(info.inputs().get(0).shape()).containsExactly(-1, FEATURES);
    assertThat(info.outputs())
        .extracting(ModelInfo.TensorMetadata::name)
        .containsExactly(LOGITS, OUTPUT);
    assertThat(info.parameters()).containsEntry("accuracy", "76.13");
    assertThat(executor.model("nope")).isNull();
  }

  @Test
  void queuedRequestsRunAsOneBatchAndEachGetsItsOwnRows() throws Exception {
    addModel(batched("mlp", 8, DynamicBatching.withDelay(0)), 11);
    Gate gate = new Gate();
    executor = DeviceExecutor.open(repo, Options.defaults().withExecutionHook(gate));
    CompletableFuture<ExecutionResult> blocker =
        infer("mlp", TinyOnnxModels.randomRows(99, 1, FEATURES), 1);
    gate.awaitEntered();

    int[] batchSizes = {1, 2, 3, 1};
    List<float[]> inputs = new ArrayList<>();
    List<CompletableFuture<ExecutionResult>> futures = submitConcurrently(batchSizes, inputs);
    List<CompletableFuture<String>> callbackThreads =
        futures.stream().map(f -> f.handle((r, e) -> Thread.currentThread().getName())).toList();
    gate.release();

    blocker.get(30, TimeUnit.SECONDS);
    for (int i = 0; i < futures.size(); i++) {
      ExecutionResult result = futures.get(i).get(30, TimeUnit.SECONDS);
      float[] expected = directRun("mlp", inputs.get(i), batchSizes[i]).get(OUTPUT);
      InferTensor output = result.outputs().get(1);
      assertThat(output.shape()).containsExactly(batchSizes[i], CLASSES);
      assertThat(output.asFloats()).containsExactly(expected, within(1e-5f));
    }
    ModelStatistics stats = executor.statistics("mlp");
    assertThat(stats.executionCount()).isEqualTo(2);
    assertThat(stats.inferenceCount()).isEqualTo(1 + 7);
    assertThat(stats.success().count()).isEqualTo(5);
    assertThat(stats.queue().count()).isEqualTo(5);
    assertThat(batchCounts(stats)).isEqualTo(Map.of(1, 1L, 7, 1L));
    for (CompletableFuture<String> thread : callbackThreads) {
      // The completing pool thread or a waiter helping in get(); never the execution thread.
      assertThat(thread.get(30, TimeUnit.SECONDS)).doesNotStartWith("surge-engine-execute");
    }
  }

  @Test
  void batchesAreCutAtAPreferredSize() throws Exception {
    addModel(batched("mlp", 8, new DynamicBatching(0, List.of(4), QueuePolicy.DEFAULT)), 11);
    Gate gate = new Gate();
    executor = DeviceExecutor.open(repo, Options.defaults().withExecutionHook(gate));
    CompletableFuture<ExecutionResult> blocker =
        infer("mlp", TinyOnnxModels.randomRows(99, 1, FEATURES), 1);
    gate.awaitEntered();

    List<CompletableFuture<ExecutionResult>> futures =
        submitConcurrently(new int[] {1, 1, 1, 1, 1}, new ArrayList<>());
    gate.release();

    blocker.get(30, TimeUnit.SECONDS);
    for (CompletableFuture<ExecutionResult> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
    ModelStatistics stats = executor.statistics("mlp");
    assertThat(batchCounts(stats)).isEqualTo(Map.of(1, 2L, 4, 1L));
    assertThat(stats.executionCount()).isLessThan(stats.inferenceCount());
  }

  @Test
  void withBatchingSwitchedOffEveryRequestRunsAlone() throws Exception {
    addModel(batched("mlp", 8, DynamicBatching.withDelay(0)), 11);
    Gate gate = new Gate();
    executor =
        DeviceExecutor.open(
            repo, Options.defaults().withDynamicBatching(false).withExecutionHook(gate));
    CompletableFuture<ExecutionResult> blocker =
        infer("mlp", TinyOnnxModels.randomRows(99, 1, FEATURES), 1);
    gate.awaitEntered();

    List<CompletableFuture<ExecutionResult>> futures =
        submitConcurrently(new int[] {1, 1, 1, 1}, new ArrayList<>());
    gate.release();

    blocker.get(30, TimeUnit.SECONDS);
    for (CompletableFuture<ExecutionResult> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
    ModelStatistics stats = executor.statistics("mlp");
    assertThat(stats.executionCount()).isEqualTo(5);
    assertThat(stats.inferenceCount()).isEqualTo(5);
  }

  @Test
  void aRequestWhoseQueueTimeoutExpiresGets503() throws Exception {
    QueuePolicy policy = new QueuePolicy(TimeoutAction.REJECT, 60_000_000, true, 0);
    addModel(batched("mlp", 8, new DynamicBatching(0, List.of(), policy)), 11);
    Gate gate = new Gate();
    executor = DeviceExecutor.open(repo, Options.defaults().withExecutionHook(gate));
    CompletableFuture<ExecutionResult> blocker =
        infer("mlp", TinyOnnxModels.randomRows(99, 1, FEATURES), 1);
    gate.awaitEntered();

    // The request shortens the model's 60 s default to 1 ms while the server is busy.
    CompletableFuture<ExecutionResult> late =
        executor.infer(
            "mlp",
            List.of(input(TinyOnnxModels.randomRows(1, 1, FEATURES), 1)),
            List.of(),
            1000,
            0);

    ModelExecutor.ExecutionException error = failureOf(late);
    assertThat(error.httpStatus()).isEqualTo(503);
    assertThat(error.getMessage()).isEqualTo("Request timeout expired");
    gate.release();
    blocker.get(30, TimeUnit.SECONDS);
    assertThat(executor.statistics("mlp").fail().count()).isEqualTo(1);
    assertThat(executor.statistics("mlp").executionCount()).isEqualTo(1);
  }

  @Test
  void underDelayAnExpiredRequestRunsAfterTheOthers() throws Exception {
    QueuePolicy policy = new QueuePolicy(TimeoutAction.DELAY, 60_000_000, true, 0);
    addModel(batched("mlp", 2, new DynamicBatching(0, List.of(), policy)), 11);
    List<Integer> executedBatchSizes = new CopyOnWriteArrayList<>();
    Gate gate = new Gate();
    ExecutionHook recording =
        (model, batch) -> {
          executedBatchSizes.add(batch);
          gate.beforeExecution(model, batch);
        };
    executor = DeviceExecutor.open(repo, Options.defaults().withExecutionHook(recording));
    CompletableFuture<ExecutionResult> blocker =
        infer("mlp", TinyOnnxModels.randomRows(99, 1, FEATURES), 1);
    gate.awaitEntered();
    // One row, 1 ms timeout: expires while the server is busy and is moved behind the others.
    CompletableFuture<ExecutionResult> expiring =
        executor.infer(
            "mlp",
            List.of(input(TinyOnnxModels.randomRows(1, 1, FEATURES), 1)),
            List.of(),
            1000,
            0);
    CompletableFuture<ExecutionResult> onTime =
        infer("mlp", TinyOnnxModels.randomRows(2, 2, FEATURES), 2);
    awaitDelayed("mlp", 1);

    gate.release();

    blocker.get(30, TimeUnit.SECONDS);
    assertThat(onTime.get(30, TimeUnit.SECONDS).outputs()).hasSize(2);
    assertThat(expiring.get(30, TimeUnit.SECONDS).outputs()).hasSize(2);
    assertThat(executedBatchSizes).containsExactly(1, 2, 1);
    assertThat(executor.statistics("mlp").fail().count()).isZero();
  }

  @Test
  void aFullQueueRejectsImmediately() throws Exception {
    QueuePolicy policy = new QueuePolicy(TimeoutAction.REJECT, 0, false, 2);
    addModel(batched("mlp", 8, new DynamicBatching(0, List.of(), policy)), 11);
    Gate gate = new Gate();
    executor = DeviceExecutor.open(repo, Options.defaults().withExecutionHook(gate));
    CompletableFuture<ExecutionResult> blocker =
        infer("mlp", TinyOnnxModels.randomRows(99, 1, FEATURES), 1);
    gate.awaitEntered();
    CompletableFuture<ExecutionResult> second =
        infer("mlp", TinyOnnxModels.randomRows(1, 1, FEATURES), 1);
    CompletableFuture<ExecutionResult> third =
        infer("mlp", TinyOnnxModels.randomRows(2, 1, FEATURES), 1);

    CompletableFuture<ExecutionResult> fourth =
        infer("mlp", TinyOnnxModels.randomRows(3, 1, FEATURES), 1);

    assertThat(fourth).isCompletedExceptionally();
    ModelExecutor.ExecutionException error = failureOf(fourth);
    assertThat(error.httpStatus()).isEqualTo(503);
    assertThat(error.getMessage()).isEqualTo("Exceeds maximum queue size");
    gate.release();
    blocker.get(30, TimeUnit.SECONDS);
    second.get(30, TimeUnit.SECONDS);
    third.get(30, TimeUnit.SECONDS);
  }

  @Test
  void badRequestsGet400WithAClearMessage() {
    addModel(TinyOnnxModels.gemmReluConfig("mlp", 4, FEATURES, CLASSES), 11);
    executor = DeviceExecutor.open(repo);
    float[] one = TinyOnnxModels.randomRows(1, 1, FEATURES);

    assertBadRequest(
        List.of(InferTensor.fp32("x", new long[] {1, FEATURES}, one)),
        List.of(),
        "unexpected inference input 'x'");
    assertBadRequest(
        List.of(
            new InferTensor(
                INPUT, Datatype.INT32, new long[] {1, FEATURES}, ByteBuffer.allocate(16))),
        List.of(),
        "input 'input' has datatype INT32, expected FP32");
    assertBadRequest(
        List.of(InferTensor.fp32(INPUT, new long[] {1, 2}, new float[2])),
        List.of(),
        "has shape [1, 2], expected [-1, 4]");
    assertBadRequest(
        List.of(InferTensor.fp32(INPUT, new long[] {5, FEATURES}, new float[5 * FEATURES])),
        List.of(),
        "batch size 5, expected 1 to max_batch_size 4");
    assertBadRequest(
        List.of(InferTensor.fp32(INPUT, new long[] {2, FEATURES}, one)),
        List.of(),
        "has 16 bytes of data, expected 32");
    assertBadRequest(List.of(), List.of(), "request has no inputs");
    assertBadRequest(
        List.of(input(one, 1)),
        List.of("probabilities"),
        "unexpected inference output 'probabilities'");
    assertBadRequest(
        List.of(input(one, 1), input(one, 1)), List.of(), "input 'input' given more than once");
    assertThat(executor.statistics("mlp").executionCount()).isZero();
  }

  @Test
  void unknownModelsGet404() {
    addModel(TinyOnnxModels.gemmReluConfig("mlp", 4, FEATURES, CLASSES), 11);
    executor = DeviceExecutor.open(repo);

    ModelExecutor.ExecutionException error =
        failureOf(executor.infer("nope", List.of(input(new float[FEATURES], 1)), List.of(), 0, 0));

    assertThat(error.httpStatus()).isEqualTo(404);
    assertThat(error.getMessage()).contains("'nope'");
    assertThatThrownBy(() -> executor.statistics("nope"))
        .isInstanceOf(ModelExecutor.ExecutionException.class)
        .satisfies(
            e -> assertThat(((ModelExecutor.ExecutionException) e).httpStatus()).isEqualTo(404));
  }

  @Test
  void onlyOneExecutionRunsAtATimeAcrossModels() throws Exception {
    addModel(batched("small", 4, DynamicBatching.withDelay(100)), 11);
    addModel(batched("large", 8, DynamicBatching.withDelay(100)), 12);
    AtomicInteger inHook = new AtomicInteger();
    AtomicInteger peakInHook = new AtomicInteger();
    ExecutionHook counting =
        (model, batch) -> {
          peakInHook.accumulateAndGet(inHook.incrementAndGet(), Math::max);
          Thread.onSpinWait();
          inHook.decrementAndGet();
        };
    executor = DeviceExecutor.open(repo, Options.defaults().withExecutionHook(counting));

    List<CompletableFuture<ExecutionResult>> futures = new ArrayList<>();
    List<String> models = new ArrayList<>();
    List<float[]> inputs = new ArrayList<>();
    List<CompletableFuture<Void>> submitted = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String model = i % 2 == 0 ? "small" : "large";
      float[] rows = TinyOnnxModels.randomRows(i, 1, FEATURES);
      models.add(model);
      inputs.add(rows);
      CompletableFuture<ExecutionResult> result = new CompletableFuture<>();
      futures.add(result);
      submitted.add(
          CompletableFuture.runAsync(
              () ->
                  infer(model, rows, 1)
                      .whenComplete(
                          (r, e) -> {
                            if (e != null) {
                              result.completeExceptionally(e);
                            } else {
                              result.complete(r);
                            }
                          }),
              clients));
    }

    CompletableFuture.allOf(submitted.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    for (int i = 0; i < futures.size(); i++) {
      float[] actual = futures.get(i).get(30, TimeUnit.SECONDS).outputs().get(1).asFloats();
      assertThat(actual)
          .containsExactly(directRun(models.get(i), inputs.get(i), 1).get(OUTPUT), within(1e-5f));
    }
    assertThat(executor.peakConcurrentExecutions()).isEqualTo(1);
    assertThat(peakInHook.get()).isEqualTo(1);
    assertThat(
            executor.statistics("small").inferenceCount()
                + executor.statistics("large").inferenceCount())
        .isEqualTo(60);
  }

  @Test
  void aModelWithoutBatchingTakesItsExactShape() throws Exception {
    ModelConfig config =
        ModelConfig.onnx(
            "fixed",
            0,
            List.of(new TensorConfig(INPUT, Datatype.FP32, new long[] {2, FEATURES})),
            List.of(new TensorConfig(OUTPUT, Datatype.FP32, new long[] {2, CLASSES})));
    ModelRepository.write(repo, config, 1, TinyOnnxModels.gemmRelu(FEATURES, CLASSES, 13, 2));
    executor = DeviceExecutor.open(repo);
    float[] rows = TinyOnnxModels.randomRows(5, 2, FEATURES);

    ExecutionResult result =
        executor.infer("fixed", List.of(input(rows, 2)), List.of(), 0, 0).get(30, TimeUnit.SECONDS);

    assertThat(result.outputs()).extracting(InferTensor::name).containsExactly(OUTPUT);
    assertThat(result.outputs().get(0).shape()).containsExactly(2, CLASSES);
    assertThat(result.outputs().get(0).asFloats())
        .containsExactly(directRun("fixed", rows, 2).get(OUTPUT), within(1e-6f));
    assertThat(failureOf(infer("fixed", TinyOnnxModels.randomRows(5, 1, FEATURES), 1)).httpStatus())
        .isEqualTo(400);
  }

  @Test
  void aConfigThatDisagreesWithTheGraphIsRefusedAtLoad() {
    ModelRepository.write(
        repo,
        TinyOnnxModels.gemmReluConfig("mlp", 4, FEATURES + 1, CLASSES),
        1,
        TinyOnnxModels.gemmRelu(FEATURES, CLASSES, 1, 0));

    assertThatThrownBy(() -> DeviceExecutor.open(repo))
        .isInstanceOf(ModelRepositoryException.class)
        .hasMessageContaining(
            "model 'mlp': input 'input' has dims [5] in config.pbtxt but shape [-1, 4] in the ONNX model");
  }

  @Test
  void aFixedBatchGraphCannotBatch() {
    ModelRepository.write(
        repo,
        TinyOnnxModels.gemmReluConfig("mlp", 4, FEATURES, CLASSES),
        1,
        TinyOnnxModels.gemmRelu(FEATURES, CLASSES, 1, 2));

    assertThatThrownBy(() -> DeviceExecutor.open(repo))
        .isInstanceOf(ModelRepositoryException.class)
        .hasMessageContaining("fixed first dimension 2");
  }

  @Test
  void closeFailsQueuedRequestsAndFinishesTheRunningBatch() throws Exception {
    addModel(batched("mlp", 8, DynamicBatching.withDelay(0)), 11);
    Gate gate = new Gate();
    executor = DeviceExecutor.open(repo, Options.defaults().withExecutionHook(gate));
    CompletableFuture<ExecutionResult> running =
        infer("mlp", TinyOnnxModels.randomRows(99, 1, FEATURES), 1);
    gate.awaitEntered();
    CompletableFuture<ExecutionResult> queued =
        infer("mlp", TinyOnnxModels.randomRows(1, 1, FEATURES), 1);

    CompletableFuture<Void> closing = CompletableFuture.runAsync(executor::close, clients);
    ModelExecutor.ExecutionException error = failureOf(queued);
    gate.release();
    closing.get(30, TimeUnit.SECONDS);

    assertThat(error.httpStatus()).isEqualTo(503);
    assertThat(running.get(30, TimeUnit.SECONDS).outputs()).hasSize(2);
    assertThat(failureOf(infer("mlp", TinyOnnxModels.randomRows(1, 1, FEATURES), 1)).httpStatus())
        .isEqualTo(503);
  }

  // --- helpers ---

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

  private void awaitDelayed(String model, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (executor.delayedRequests(model) < count) {
      assertThat(System.nanoTime() - deadline).as("waiting for a delayed request").isNegative();
      Thread.yield();
    }
  }

  private ModelConfig batched(String name, int maxBatch, DynamicBatching batching) {
    return TinyOnnxModels.gemmReluConfig(name, maxBatch, FEATURES, CLASSES)
        .withDynamicBatching(batching);
  }

  private void addModel(ModelConfig config, long seed) {
    ModelRepository.write(repo, config, 1, TinyOnnxModels.gemmRelu(FEATURES, CLASSES, seed, 0));
  }

  private CompletableFuture<ExecutionResult> infer(String model, float[] rows, int batch) {
    return executor.infer(model, List.of(input(rows, batch)), List.of(), 0, 0);
  }

  /** Submits one request per entry from client threads; returns once all are queued. */
  private List<CompletableFuture<ExecutionResult>> submitConcurrently(
      int[] batchSizes, List<float[]> inputs) throws Exception {
    List<CompletableFuture<CompletableFuture<ExecutionResult>>> submissions = new ArrayList<>();
    for (int i = 0; i < batchSizes.length; i++) {
      float[] rows = TinyOnnxModels.randomRows(100 + i, batchSizes[i], FEATURES);
      inputs.add(rows);
      int batch = batchSizes[i];
      submissions.add(CompletableFuture.supplyAsync(() -> infer("mlp", rows, batch), clients));
    }
    List<CompletableFuture<ExecutionResult>> futures = new ArrayList<>();
    for (CompletableFuture<CompletableFuture<ExecutionResult>> s : submissions) {
      futures.add(s.get(30, TimeUnit.SECONDS));
    }
    return futures;
  }

  private static InferTensor input(float[] rows, int batch) {
    return InferTensor.fp32(INPUT, new long[] {batch, rows.length / batch}, rows);
  }

  private Map<String, float[]> directRun(String model, float[] rows, int batch)
      throws OrtException {
    OrtEnvironment env = OrtRuntime.environment();
    try (OrtSession session = env.createSession(repo.resolve(model + "/1/model.onnx").toString());
        OnnxTensor tensor =
            OnnxTensor.createTensor(
                env, FloatBuffer.wrap(rows), new long[] {batch, rows.length / batch});
        OrtSession.Result result = session.run(Map.of(INPUT, tensor))) {
      Map<String, float[]> outputs = new java.util.HashMap<>();
      result.forEach(
          e -> outputs.put(e.getKey(), flatten(((OnnxTensor) e.getValue()).getFloatBuffer())));
      return outputs;
    }
  }

  private static float[] flatten(FloatBuffer buffer) {
    float[] out = new float[buffer.remaining()];
    buffer.get(out);
    return out;
  }

  private static Map<Integer, Long> batchCounts(ModelStatistics stats) {
    return stats.batchStats().stream()
        .collect(Collectors.toMap(BatchStat::batchSize, b -> b.computeInfer().count()));
  }

  private void assertBadRequest(List<InferTensor> inputs, List<String> outputs, String message) {
    ModelExecutor.ExecutionException error =
        failureOf(executor.infer("mlp", inputs, outputs, 0, 0));
    assertThat(error.httpStatus()).isEqualTo(400);
    assertThat(error.getMessage()).contains(message);
  }

  private static ModelExecutor.ExecutionException failureOf(CompletableFuture<?> future) {
    Throwable thrown = catchThrowable(() -> future.get(30, TimeUnit.SECONDS));
    assertThat(thrown).isInstanceOf(java.util.concurrent.ExecutionException.class);
    assertThat(thrown.getCause()).isInstanceOf(ModelExecutor.ExecutionException.class);
    return (ModelExecutor.ExecutionException) thrown.getCause();
  }
}
