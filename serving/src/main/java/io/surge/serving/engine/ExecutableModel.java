package io.surge.serving.engine;

import io.surge.serving.protocol.InferTensor;
import java.util.List;

/**
 * What the {@link DeviceExecutor} runs: one loaded model of a repository, on ONNX Runtime ({@link
 * OnnxModel}) or on an emulated accelerator ({@link EmulatedModel}). Only the executor's one
 * execution thread calls {@link #run}.
 */
interface ExecutableModel extends AutoCloseable {

  /** Per-request outputs of one execution and how long its phases took. */
  record BatchOutput(
      List<List<InferTensor>> outputs, long inputNanos, long inferNanos, long outputNanos) {}

  ModelConfig config();

  ModelInfo info();

  /**
   * Runs validated requests as one batch: each request is its inputs and the outputs it wants
   * (empty = all), {@code rows[i]} rows each.
   *
   * @throws ModelExecutor.ExecutionException with the status the failure maps to
   * @throws InterruptedException when the server shuts down mid-run
   */
  BatchOutput run(
      List<List<InferTensor>> requestInputs, List<List<String>> requestOutputs, int[] rows)
      throws Exception;

  /**
   * Why a request is refused at once, before it queues (an emulated error window or outage), or
   * null to accept it.
   */
  default ModelExecutor.ExecutionException refusal() {
    return null;
  }

  @Override
  void close();
}
