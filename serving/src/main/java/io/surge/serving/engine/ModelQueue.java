package io.surge.serving.engine;

import io.surge.serving.engine.ModelConfig.DynamicBatching;
import io.surge.serving.engine.ModelConfig.QueuePolicy;
import io.surge.serving.engine.ModelConfig.TensorConfig;
import io.surge.serving.protocol.InferTensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One model's dynamic-batching queue, after Triton's dynamic batcher: a batch is ready when it
 * reaches the largest preferred size (or max_batch_size), cannot grow further, or its oldest
 * request has waited max_queue_delay. Not thread-safe: the executor's lock guards it.
 */
final class ModelQueue {

  final ExecutableModel model;
  final ModelStatsRecorder stats;
  private final boolean batching;
  private final int maxBatchSize;
  private final long maxDelayNanos;
  private final Set<Integer> preferred;
  private final int targetRows;
  private final QueuePolicy policy;
  private final boolean fixedShapes;
  private final ArrayDeque<PendingRequest> fresh = new ArrayDeque<>();

  /** Requests whose timeout expired under timeout_action DELAY: served after all others. */
  private final ArrayDeque<PendingRequest> delayed = new ArrayDeque<>();

  ModelQueue(ExecutableModel model, ModelStatsRecorder stats, boolean dynamicBatchingEnabled) {
    this.model = model;
    this.stats = stats;
    ModelConfig config = model.config();
    DynamicBatching dynamic = config.dynamicBatching();
    this.batching = dynamicBatchingEnabled && dynamic != null && config.maxBatchSize() > 0;
    this.maxBatchSize = Math.max(1, config.maxBatchSize());
    this.maxDelayNanos =
        dynamic == null ? 0 : TimeUnit.MICROSECONDS.toNanos(dynamic.maxQueueDelayMicros());
    this.preferred = dynamic == null ? Set.of() : new HashSet<>(dynamic.preferredBatchSizes());
    this.targetRows =
        preferred.isEmpty()
            ? maxBatchSize
            : Math.min(
                maxBatchSize, preferred.stream().mapToInt(Integer::intValue).max().orElseThrow());
    this.policy = dynamic == null ? QueuePolicy.DEFAULT : dynamic.defaultQueuePolicy();
    this.fixedShapes = config.inputs().stream().allMatch(ModelQueue::fixedDims);
  }

  String name() {
    return model.config().name();
  }

  QueuePolicy policy() {
    return policy;
  }

  boolean isEmpty() {
    return fresh.isEmpty() && delayed.isEmpty();
  }

  int size() {
    return fresh.size() + delayed.size();
  }

  int delayedSize() {
    return delayed.size();
  }

  boolean isFull() {
    return policy.maxQueueSize() > 0 && size() >= policy.maxQueueSize();
  }

  void add(PendingRequest request) {
    fresh.addLast(request);
  }

  /** Removes a queued request; false if it already left the queue. */
  boolean remove(PendingRequest request) {
    return fresh.remove(request) || delayed.remove(request);
  }

  /** Moves a timed-out request behind all others (timeout_action DELAY); false if not queued. */
  boolean delay(PendingRequest request) {
    if (!fresh.remove(request)) {
      return false;
    }
    request.delayed = true;
    delayed.addLast(request);
    return true;
  }

  /** When the head request was enqueued (nanoTime); the queue must not be empty. */
  long headEnqueuedNanos() {
    return head().enqueuedNanos;
  }

  /** nanoTime from which the next batch is ready to run; the queue must not be empty. */
  long readyAtNanos() {
    long head = headEnqueuedNanos();
    if (!batching) {
      return head;
    }
    Candidate candidate = candidate();
    if (candidate.rows >= targetRows || candidate.cannotGrow) {
      return head;
    }
    return head + maxDelayNanos;
  }

  /** Removes and returns the next batch: whole requests, FIFO, cut at a preferred size if any. */
  List<PendingRequest> takeBatch() {
    int count = batching ? cut(candidate()) : 1;
    List<PendingRequest> batch = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      PendingRequest request = fresh.isEmpty() ? delayed.pollFirst() : fresh.pollFirst();
      request.cancelTimeout();
      batch.add(request);
    }
    return batch;
  }

  /** Removes every queued request (at shutdown). */
  List<PendingRequest> drain() {
    List<PendingRequest> all = new ArrayList<>(fresh);
    all.addAll(delayed);
    fresh.clear();
    delayed.clear();
    all.forEach(PendingRequest::cancelTimeout);
    return all;
  }

  /** The longest FIFO prefix that fits max_batch_size and has compatible shapes. */
  private record Candidate(int[] cumulativeRows, int count, int rows, boolean cannotGrow) {}

  private Candidate candidate() {
    int[] cumulative = new int[Math.min(size(), maxBatchSize)];
    int count = 0;
    int rows = 0;
    PendingRequest first = head();
    for (PendingRequest request : ordered()) {
      if (rows + request.rows > maxBatchSize || !compatible(first, request)) {
        return new Candidate(cumulative, count, rows, true);
      }
      rows += request.rows;
      cumulative[count++] = rows;
    }
    return new Candidate(cumulative, count, rows, rows >= maxBatchSize);
  }

  private int cut(Candidate candidate) {
    for (int k = candidate.count; k > 0; k--) {
      if (preferred.contains(candidate.cumulativeRows[k - 1])) {
        return k;
      }
    }
    return candidate.count;
  }

  private Iterable<PendingRequest> ordered() {
    return Stream.concat(fresh.stream(), delayed.stream())::iterator;
  }

  private PendingRequest head() {
    return fresh.isEmpty() ? delayed.peekFirst() : fresh.peekFirst();
  }

  /** Requests batch together only if every input matches beyond the batch dimension. */
  private boolean compatible(PendingRequest a, PendingRequest b) {
    if (fixedShapes || a == b) {
      return true;
    }
    for (InferTensor x : a.inputs) {
      for (InferTensor y : b.inputs) {
        if (x.name().equals(y.name())
            && !Arrays.equals(x.shape(), 1, x.shape().length, y.shape(), 1, y.shape().length)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean fixedDims(TensorConfig tensor) {
    return Arrays.stream(tensor.dims()).allMatch(d -> d >= 0);
  }
}
