package io.surge.serving.server;

import io.surge.serving.engine.ModelExecutor;
import io.surge.serving.engine.ModelInfo;
import io.surge.serving.engine.ModelStatistics;
import io.surge.serving.protocol.InferTensor;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A server's executor that lists one model, {@code m}, for tests of the HTTP layer alone. */
final class OneModelExecutor implements ModelExecutor {
  private final ModelInfo model =
      new ModelInfo("m", "1", "onnxruntime_onnx", List.of(), List.of(), 0, Map.of());

  @Override
  public Collection<ModelInfo> models() {
    return List.of(model);
  }

  @Override
  public ModelInfo model(String name) {
    return "m".equals(name) ? model : null;
  }

  @Override
  public CompletableFuture<ExecutionResult> infer(
      String name, List<InferTensor> inputs, List<String> outputs, long timeout, int priority) {
    return CompletableFuture.failedFuture(new IllegalStateException("not expected"));
  }

  @Override
  public ModelStatistics statistics(String name) {
    return null;
  }

  @Override
  public void close() {}
}
