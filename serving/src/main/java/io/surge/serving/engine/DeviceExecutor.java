package io.surge.serving.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.surge.serving.engine.ExecutableModel.BatchOutput;
import io.surge.serving.engine.ModelConfig.TimeoutAction;
import io.surge.serving.protocol.InferTensor;
import io.surge.state.onnx.OrtRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serves the models of a Triton-style repository on one device, like one GPU: a single execution
 * thread runs one batch at a time, picking across the models' dynamic-batching queues the ready
 * batch whose oldest request has waited longest. Futures complete on a separate completion pool,
 * never on the execution thread; queue timeouts expire on a timer thread.
 *
 * <p>Two backends run the batches: ONNX Runtime on the host CPU ({@link #open(Path, Options)},
 * {@code surge serve --device cpu}), and an emulated accelerator ({@link #emulated(Path,
 * EmulatedDevice, Options)}, {@code --device emulated}) that holds the device for the profiled
 * latency of each batch without computing. Batching, queue limits, 503s and statistics are this
 * class's, the same for both.
 */
public final class DeviceExecutor implements ModelExecutor {

  /** Called on the execution thread before each model run; for tests and instrumentation. */
  @FunctionalInterface
  public interface ExecutionHook {
    ExecutionHook NONE = (model, batchSize) -> {};

    void beforeExecution(String model, int batchSize) throws InterruptedException;
  }

  /**
   * How the executor runs.
   *
   * @param dynamicBatching false = every request runs alone (for batching on-vs-off benchmarks)
   * @param intraOpThreads ONNX Runtime intra-op threads per session; 0 = ONNX Runtime's default
   * @param completionThreads threads that complete the request futures
   */
  public record Options(
      boolean dynamicBatching,
      int intraOpThreads,
      int completionThreads,
      ExecutionHook executionHook) {

    public Options {
      if (intraOpThreads < 0 || completionThreads < 1) {
        throw new IllegalArgumentException(
            "intraOpThreads must be >= 0 and completionThreads >= 1");
      }
      executionHook = executionHook == null ? ExecutionHook.NONE : executionHook;
    }

    public static Options defaults() {
      return new Options(true, 0, 2, ExecutionHook.NONE);
    }

    public Options withDynamicBatching(boolean enabled) {
      return new Options(enabled, intraOpThreads, completionThreads, executionHook);
    }

    public Options withIntraOpThreads(int threads) {
      return new Options(dynamicBatching, threads, completionThreads, executionHook);
    }

    public Options withExecutionHook(ExecutionHook hook) {
      return new Options(dynamicBatching, intraOpThreads, completionThreads, hook);
    }
  }

  static final String TIMEOUT_MESSAGE = "Request timeout expired";
  static final String QUEUE_FULL_MESSAGE = "Exceeds maximum queue size";
  static final String SHUTDOWN_MESSAGE = "the inference server is shutting down";

  private final Map<String, ModelQueue> queues;
  private final Runnable closeBackend;
  private final ExecutionHook hook;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private boolean closed;
  private final ScheduledThreadPoolExecutor timer;
  private final ExecutorService completions;
  private final Thread executionThread;
  private final AtomicInteger runningExecutions = new AtomicInteger();
  private final AtomicInteger peakExecutions = new AtomicInteger();

  private DeviceExecutor(Map<String, ModelQueue> queues, Runnable closeBackend, Options options) {
    this.queues = queues;
    this.closeBackend = closeBackend;
    this.hook = options.executionHook();
    this.timer = new ScheduledThreadPoolExecutor(1, daemonThreads("surge-engine-timeout"));
    timer.setRemoveOnCancelPolicy(true);
    this.completions =
        Executors.newFixedThreadPool(
            options.completionThreads(), daemonThreads("surge-engine-complete"));
    this.executionThread = daemonThreads("surge-engine-execute").newThread(this::runLoop);
    executionThread.start();
  }

  /** Loads every model of a repository with default options. */
  public static DeviceExecutor open(Path repository) {
    return open(repository, Options.defaults());
  }

  /**
   * Loads every model of a repository (highest version of each), checks each config against its
   * ONNX graph, and starts the execution thread.
   *
   * @throws ModelRepositoryException naming the model at fault
   */
  public static DeviceExecutor open(Path repository, Options options) {
    List<ModelRepository.Entry> entries = ModelRepository.scan(repository);
    OrtEnvironment env = OrtRuntime.environment();
    OrtSession.SessionOptions sessionOptions = sessionOptions(options);
    Map<String, ModelQueue> queues = new LinkedHashMap<>();
    try {
      for (ModelRepository.Entry entry : entries) {
        OnnxModel model = OnnxModel.load(env, entry, sessionOptions);
        ModelStatsRecorder stats = new ModelStatsRecorder(entry.name(), entry.version());
        queues.put(entry.name(), new ModelQueue(model, stats, options.dynamicBatching()));
      }
    } catch (RuntimeException e) {
      queues.values().forEach(q -> q.model.close());
      sessionOptions.close();
      throw e;
    }
    return new DeviceExecutor(queues, sessionOptions::close, options);
  }

  /**
   * Serves every model of a repository (highest version of each) on an emulated accelerator: no
   * model is loaded into ONNX Runtime; each batch holds the device for the profiled latency of its
   * (model, batch size), then answers zeros of the declared output names, shapes and datatypes.
   *
   * @throws ModelRepositoryException naming a model the device's profile does not cover
   */
  public static DeviceExecutor emulated(Path repository, EmulatedDevice device, Options options) {
    List<ModelRepository.Entry> entries = ModelRepository.scan(repository);
    long startNanos = device.clock().nanoTime();
    Map<String, ModelQueue> queues = new LinkedHashMap<>();
    EmulatedModel.Timeline timeline = new EmulatedModel.Timeline();
    for (ModelRepository.Entry entry : entries) {
      EmulatedModel model = EmulatedModel.create(entry, device, startNanos, timeline);
      ModelStatsRecorder stats = new ModelStatsRecorder(entry.name(), entry.version());
      queues.put(entry.name(), new ModelQueue(model, stats, options.dynamicBatching()));
    }
    return new DeviceExecutor(queues, () -> {}, options);
  }

  private static OrtSession.SessionOptions sessionOptions(Options options) {
    OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions();
    if (options.intraOpThreads() > 0) {
      try {
        sessionOptions.setIntraOpNumThreads(options.intraOpThreads());
      } catch (OrtException e) {
        sessionOptions.close();
        throw new IllegalArgumentException("cannot set intra-op threads: " + e.getMessage(), e);
      }
    }
    return sessionOptions;
  }

  /**
   * True while the device is in an emulated outage (every model refuses by dropping the
   * connection): the server then answers nothing at all, as a crashed one would.
   */
  @Override
  public boolean isDown() {
    if (queues.isEmpty()) {
      return false;
    }
    for (ModelQueue queue : queues.values()) {
      ExecutionException refused = queue.model.refusal();
      if (refused == null || !refused.dropsConnection()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Collection<ModelInfo> models() {
    return queues.values().stream().map(q -> q.model.info()).toList();
  }

  @Override
  public ModelInfo model(String name) {
    ModelQueue queue = queues.get(name);
    return queue == null ? null : queue.model.info();
  }

  @Override
  public ModelStatistics statistics(String model) {
    ModelQueue queue = queues.get(model);
    if (queue == null) {
      throw unknownModel(model);
    }
    return queue.stats.snapshot();
  }

  /** The most executions ever observed running at once; 1 unless the one-at-a-time rule broke. */
  public int peakConcurrentExecutions() {
    return peakExecutions.get();
  }

  /** Requests of a model kept queued after their timeout under {@code timeout_action: DELAY}. */
  int delayedRequests(String model) {
    lock.lock();
    try {
      return queues.get(model).delayedSize();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public CompletableFuture<ExecutionResult> infer(
      String model,
      List<InferTensor> inputs,
      List<String> outputNames,
      long timeoutMicros,
      int priority) {
    ModelQueue queue = model == null ? null : queues.get(model);
    if (queue == null) {
      return CompletableFuture.failedFuture(unknownModel(model));
    }
    if (timeoutMicros < 0 || priority < 0) {
      return failed(400, "model '" + model + "': timeout and priority must be >= 0");
    }
    ExecutionException refused = queue.model.refusal();
    if (refused != null) {
      queue.stats.failure(0);
      return CompletableFuture.failedFuture(refused);
    }
    int rows;
    try {
      rows = RequestValidator.validate(queue.model.config(), inputs, outputNames);
    } catch (ExecutionException e) {
      return CompletableFuture.failedFuture(e);
    }
    PendingRequest request = new PendingRequest(inputs, outputNames, rows, System.nanoTime());
    // priority is accepted but not used: Surge's configs have no priority_levels.
    return enqueue(queue, request, timeoutMicros);
  }

  private CompletableFuture<ExecutionResult> enqueue(
      ModelQueue queue, PendingRequest request, long timeoutMicros) {
    lock.lock();
    try {
      if (closed) {
        return failed(503, SHUTDOWN_MESSAGE);
      }
      if (queue.isFull()) {
        queue.stats.failure(0);
        return failed(503, QUEUE_FULL_MESSAGE);
      }
      queue.add(request);
      long timeout = queue.policy().effectiveTimeoutMicros(timeoutMicros);
      if (timeout > 0) {
        request.timeoutTask =
            timer.schedule(() -> expire(queue, request), timeout, TimeUnit.MICROSECONDS);
      }
      work.signal();
    } finally {
      lock.unlock();
    }
    return request.future;
  }

  /** Timer callback: a queued request's timeout expired. */
  private void expire(ModelQueue queue, PendingRequest request) {
    lock.lock();
    try {
      if (queue.policy().timeoutAction() == TimeoutAction.DELAY) {
        if (queue.delay(request)) {
          work.signal();
        }
        return;
      }
      if (!queue.remove(request)) {
        return;
      }
      request.timeoutTask = null;
      work.signal();
    } finally {
      lock.unlock();
    }
    queue.stats.failure(System.nanoTime() - request.enqueuedNanos);
    fail(request, new ExecutionException(503, TIMEOUT_MESSAGE));
  }

  private record Batch(ModelQueue queue, List<PendingRequest> requests) {}

  private void runLoop() {
    while (true) {
      Batch batch;
      try {
        batch = nextBatch();
      } catch (InterruptedException e) {
        return;
      }
      if (batch == null) {
        return;
      }
      execute(batch);
    }
  }

  /** Blocks until some queue has a ready batch (null once closed); oldest head first. */
  private Batch nextBatch() throws InterruptedException {
    lock.lock();
    try {
      while (!closed) {
        long now = System.nanoTime();
        ModelQueue best = null;
        long earliestReady = 0;
        boolean waiting = false;
        for (ModelQueue queue : queues.values()) {
          if (queue.isEmpty()) {
            continue;
          }
          long readyAt = queue.readyAtNanos();
          if (readyAt - now <= 0) {
            if (best == null || queue.headEnqueuedNanos() - best.headEnqueuedNanos() < 0) {
              best = queue;
            }
          } else if (!waiting || readyAt - earliestReady < 0) {
            earliestReady = readyAt;
            waiting = true;
          }
        }
        if (best != null) {
          return new Batch(best, best.takeBatch());
        }
        if (waiting) {
          work.awaitNanos(earliestReady - now);
        } else {
          work.await();
        }
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  private void execute(Batch batch) {
    ModelQueue queue = batch.queue();
    List<PendingRequest> requests = batch.requests();
    long start = System.nanoTime();
    List<List<InferTensor>> inputs = new ArrayList<>(requests.size());
    List<List<String>> outputs = new ArrayList<>(requests.size());
    int[] rows = new int[requests.size()];
    int totalRows = 0;
    for (int i = 0; i < rows.length; i++) {
      PendingRequest request = requests.get(i);
      queue.stats.dequeued(start - request.enqueuedNanos);
      inputs.add(request.inputs);
      outputs.add(request.outputNames);
      rows[i] = request.rows;
      totalRows += request.rows;
    }
    enterExecution();
    try {
      hook.beforeExecution(queue.name(), totalRows);
      BatchOutput out = queue.model.run(inputs, outputs, rows);
      queue.stats.execution(
          requests.size(), totalRows, out.inputNanos(), out.inferNanos(), out.outputNanos());
      succeed(queue, requests, out, start);
    } catch (InterruptedException e) {
      failAll(queue, requests, new ExecutionException(503, SHUTDOWN_MESSAGE));
    } catch (ExecutionException e) {
      failAll(queue, requests, e);
    } catch (Exception e) {
      failAll(
          queue,
          requests,
          new ExecutionException(500, "model '" + queue.name() + "' failed: " + e.getMessage()));
    } finally {
      runningExecutions.decrementAndGet();
    }
  }

  private void enterExecution() {
    int running = runningExecutions.incrementAndGet();
    peakExecutions.accumulateAndGet(running, Math::max);
  }

  private void succeed(
      ModelQueue queue, List<PendingRequest> requests, BatchOutput out, long start) {
    long end = System.nanoTime();
    long compute = out.inputNanos() + out.inferNanos() + out.outputNanos();
    for (int i = 0; i < requests.size(); i++) {
      PendingRequest request = requests.get(i);
      queue.stats.success(end - request.enqueuedNanos);
      ExecutionResult result =
          new ExecutionResult(out.outputs().get(i), start - request.enqueuedNanos, compute);
      deliver(() -> request.future.complete(result));
    }
  }

  private void failAll(ModelQueue queue, List<PendingRequest> requests, ExecutionException error) {
    long end = System.nanoTime();
    for (PendingRequest request : requests) {
      queue.stats.failure(end - request.enqueuedNanos);
      fail(request, error);
    }
  }

  private void fail(PendingRequest request, ExecutionException error) {
    deliver(() -> request.future.completeExceptionally(error));
  }

  /**
   * Completes futures on the completion pool so user callbacks never run on the execution thread.
   */
  private void deliver(Runnable completion) {
    try {
      completions.execute(completion);
    } catch (RejectedExecutionException e) {
      completion.run();
    }
  }

  /**
   * Stops accepting requests, fails the queued ones with 503, lets the running batch finish, then
   * closes the sessions. Idempotent.
   */
  @Override
  public void close() {
    List<PendingRequest> drained = new ArrayList<>();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (ModelQueue queue : queues.values()) {
        for (PendingRequest request : queue.drain()) {
          queue.stats.failure(System.nanoTime() - request.enqueuedNanos);
          drained.add(request);
        }
      }
      work.signalAll();
    } finally {
      lock.unlock();
    }
    drained.forEach(r -> fail(r, new ExecutionException(503, SHUTDOWN_MESSAGE)));
    joinExecutionThread();
    timer.shutdownNow();
    completions.shutdown();
    awaitCompletions();
    queues.values().forEach(q -> q.model.close());
    closeBackend.run();
  }

  private void joinExecutionThread() {
    if (Thread.currentThread() == executionThread) {
      return;
    }
    boolean interrupted = false;
    while (executionThread.isAlive()) {
      try {
        executionThread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitCompletions() {
    try {
      completions.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ExecutionException unknownModel(String model) {
    return new ExecutionException(404, "Request for unknown model: '" + model + "' is not found");
  }

  private static <T> CompletableFuture<T> failed(int status, String message) {
    return CompletableFuture.failedFuture(new ExecutionException(status, message));
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
