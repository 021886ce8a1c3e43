package io.surge.serving.server;

import io.surge.serving.engine.ModelExecutor;
import io.surge.serving.engine.ModelInfo;
import io.surge.serving.engine.ModelInfo.TensorMetadata;
import io.surge.serving.protocol.ModelMetadata;
import io.surge.serving.protocol.ProtocolException;
import java.util.List;

/** Finding a model by name and optional version, with Triton's not-found messages. */
final class ModelLookup {

  private ModelLookup() {}

  /** The model, or a 404 {@link ProtocolException}; a null or empty version means any. */
  static ModelInfo require(ModelExecutor executor, String name, String version) {
    ModelInfo model = executor.model(name);
    if (model == null) {
      throw new ProtocolException(404, "Request for unknown model: '" + name + "' is not found");
    }
    if (version != null && !version.isEmpty() && !version.equals(model.version())) {
      throw new ProtocolException(
          404, "Request for unknown model: '" + name + "' version " + version + " is not found");
    }
    return model;
  }

  static ModelMetadata metadataOf(ModelInfo model) {
    return new ModelMetadata(
        model.name(),
        List.of(model.version()),
        model.platform(),
        specs(model.inputs()),
        specs(model.outputs()));
  }

  private static List<ModelMetadata.TensorSpec> specs(List<TensorMetadata> tensors) {
    return tensors.stream()
        .map(t -> new ModelMetadata.TensorSpec(t.name(), t.datatype(), t.shape()))
        .toList();
  }
}
