package io.surge.serving.ladder;

import io.surge.state.catalog.Catalog;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link ModelLadder#generate} wrote: a Triton-style model repository and its catalog.
 *
 * @param repository the output directory (one folder per model)
 * @param catalogFile {@code repository/catalog.yaml}
 * @param models one per variant, from the least to the most accurate
 */
public record GeneratedLadder(
    Path repository, Path catalogFile, Catalog catalog, List<Model> models) {

  public GeneratedLadder {
    models = List.copyOf(models);
  }

  /** Bytes of all ONNX files. */
  public long totalModelBytes() {
    return models.stream().mapToLong(Model::modelBytes).sum();
  }

  /**
   * One written model.
   *
   * @param modelFile {@code <repository>/<name>/1/model.onnx}
   * @param configFile {@code <repository>/<name>/config.pbtxt}
   * @param architecture what the graph is, e.g. {@code input=[3, 32, 32] pool=4 width=1024 ...}
   */
  public record Model(
      String name,
      double accuracy,
      Path modelFile,
      Path configFile,
      long modelBytes,
      String architecture) {}
}
