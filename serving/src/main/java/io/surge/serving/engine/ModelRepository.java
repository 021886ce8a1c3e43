package io.surge.serving.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Triton-style model repository: {@code <repo>/<model>/config.pbtxt} and {@code
 * <repo>/<model>/<version>/model.onnx}. Of each model the highest numeric version is served.
 */
public final class ModelRepository {

  /** Name of the config file in each model directory. */
  public static final String CONFIG_FILE = "config.pbtxt";

  /** Name of the model file in each version directory. */
  public static final String MODEL_FILE = "model.onnx";

  /** One model to serve: its newest version's ONNX file and its parsed config. */
  public record Entry(String name, String version, Path modelFile, ModelConfig config) {}

  private ModelRepository() {}

  /**
   * Lists the models of a repository, sorted by name.
   *
   * @throws ModelRepositoryException naming the model and file at fault
   */
  public static List<Entry> scan(Path root) {
    if (!Files.isDirectory(root)) {
      throw new ModelRepositoryException("model repository " + root + " is not a directory");
    }
    List<Entry> entries = new ArrayList<>();
    for (Path modelDir : children(root)) {
      if (Files.isDirectory(modelDir) && !modelDir.getFileName().toString().startsWith(".")) {
        entries.add(entry(modelDir));
      }
    }
    if (entries.isEmpty()) {
      throw new ModelRepositoryException("model repository " + root + " holds no models");
    }
    return entries;
  }

  /**
   * Writes one model version into a repository (creating directories): {@code config.pbtxt} from
   * the config and {@code <version>/model.onnx} from the bytes. Returns the model directory.
   */
  public static Path write(Path root, ModelConfig config, int version, byte[] onnxModel) {
    Path modelDir = root.resolve(config.name());
    try {
      Files.createDirectories(modelDir.resolve(String.valueOf(version)));
      Files.write(modelDir.resolve(String.valueOf(version)).resolve(MODEL_FILE), onnxModel);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model " + config.name() + " under " + root, e);
    }
    config.write(modelDir.resolve(CONFIG_FILE));
    return modelDir;
  }

  private static Entry entry(Path modelDir) {
    String name = modelDir.getFileName().toString();
    Path configFile = modelDir.resolve(CONFIG_FILE);
    if (!Files.isRegularFile(configFile)) {
      throw new ModelRepositoryException("model '" + name + "': missing " + configFile);
    }
    ModelConfig config;
    try {
      config = ModelConfig.read(configFile);
    } catch (ModelConfigException e) {
      throw new ModelRepositoryException("model '" + name + "': " + e.getMessage(), e);
    }
    if (!config.name().equals(name)) {
      throw new ModelRepositoryException(
          "model '"
              + name
              + "': "
              + configFile
              + " names the model '"
              + config.name()
              + "'; it must match the directory name");
    }
    checkPlatform(name, config);
    checkBatching(name, config);
    Path versionDir = newestVersion(modelDir);
    return new Entry(
        name, versionDir.getFileName().toString(), versionDir.resolve(MODEL_FILE), config);
  }

  private static void checkPlatform(String name, ModelConfig config) {
    boolean platformOk =
        config.platform().isEmpty() || config.platform().equals(ModelConfig.ONNX_PLATFORM);
    boolean backendOk =
        config.backend().isEmpty() || config.backend().equals(ModelConfig.ONNX_BACKEND);
    boolean named = !config.platform().isEmpty() || !config.backend().isEmpty();
    if (!platformOk || !backendOk || !named) {
      throw new ModelRepositoryException(
          "model '"
              + name
              + "': only platform \""
              + ModelConfig.ONNX_PLATFORM
              + "\" / backend \""
              + ModelConfig.ONNX_BACKEND
              + "\" is supported, got platform \""
              + config.platform()
              + "\" backend \""
              + config.backend()
              + "\"");
    }
  }

  private static void checkBatching(String name, ModelConfig config) {
    if (config.dynamicBatching() == null) {
      return;
    }
    for (int size : config.dynamicBatching().preferredBatchSizes()) {
      if (size > config.maxBatchSize()) {
        throw new ModelRepositoryException(
            "model '"
                + name
                + "': preferred_batch_size "
                + size
                + " exceeds max_batch_size "
                + config.maxBatchSize());
      }
    }
  }

  private static Path newestVersion(Path modelDir) {
    Path newest = null;
    long newestNumber = -1;
    for (Path child : children(modelDir)) {
      String dirName = child.getFileName().toString();
      if (!Files.isDirectory(child) || !dirName.matches("\\d{1,18}")) {
        continue;
      }
      long number = Long.parseLong(dirName);
      if (number > newestNumber && Files.isRegularFile(child.resolve(MODEL_FILE))) {
        newest = child;
        newestNumber = number;
      }
    }
    if (newest == null) {
      throw new ModelRepositoryException(
          "model '"
              + modelDir.getFileName()
              + "': no numeric version directory with "
              + MODEL_FILE
              + " under "
              + modelDir);
    }
    return newest;
  }

  private static List<Path> children(Path dir) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
