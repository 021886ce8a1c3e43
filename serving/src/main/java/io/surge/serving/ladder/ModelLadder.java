package io.surge.serving.ladder;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.surge.serving.engine.ModelConfig;
import io.surge.serving.protocol.Datatype;
import io.surge.state.catalog.Catalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a model ladder: for one service, a Triton-style model repository with one ONNX model per
 * variant ({@code <out>/<variant>/1/model.onnx} and {@code <out>/<variant>/config.pbtxt}) and the
 * catalog ({@code <out>/catalog.yaml}) that lists the variants, their accuracies and the servers.
 * Existing files of the same names are overwritten; nothing else in {@code out} is touched.
 */
public final class ModelLadder {

  public static final String CATALOG_FILE = "catalog.yaml";
  public static final String MODEL_FILE = "model.onnx";
  public static final String CONFIG_FILE = "config.pbtxt";
  public static final String VERSION = "1";
  public static final String PLATFORM = "onnxruntime_onnx";

  private ModelLadder() {}

  public static GeneratedLadder generate(Path out, LadderOptions options) {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException(out + " exists and is not a directory");
    }
    // Built first: it validates the servers before any file is written.
    Catalog catalog = catalog(options);
    SeededWeights weights = new SeededWeights(options.seed());
    List<GeneratedLadder.Model> models = new ArrayList<>();
    for (LadderRung rung : options.table().rungs()) {
      models.add(writeModel(out, options, rung, weights));
    }
    Path catalogFile = out.resolve(CATALOG_FILE);
    catalog.write(catalogFile);
    return new GeneratedLadder(out, catalogFile, catalog, models);
  }

  /** The catalog of the ladder {@code options} describe (nothing is written). */
  public static Catalog catalog(LadderOptions options) {
    LadderTable table = options.table();
    Catalog.TensorSpec input =
        new Catalog.TensorSpec(LadderModels.INPUT, "FP32", table.inputDims());
    List<Catalog.Variant> variants = new ArrayList<>();
    List<String> allModels = new ArrayList<>();
    for (LadderRung rung : table.rungs()) {
      variants.add(
          new Catalog.Variant(
              rung.name(), rung.name(), roundedAccuracy(rung), input, LadderModels.OUTPUT));
      allModels.add(rung.name());
    }
    List<Catalog.Server> servers = new ArrayList<>();
    for (LadderOptions.ServerSpec s : options.servers()) {
      servers.add(
          new Catalog.Server(s.name(), s.url(), s.models().isEmpty() ? allModels : s.models()));
    }
    Catalog.Service service =
        new Catalog.Service(options.service(), options.deadlineMs(), variants);
    return new Catalog(List.of(service), servers);
  }

  private static GeneratedLadder.Model writeModel(
      Path out, LadderOptions options, LadderRung rung, SeededWeights weights) {
    LadderTable table = options.table();
    MlpArchitecture arch = table.architecture(rung, options.scale());
    ModelProto proto =
        options.zeroCompute()
            ? LadderModels.zeroCompute(rung.name(), table.inputDims(), table.classes())
            : LadderModels.residualMlp(rung.name(), arch, weights);
    Path modelDir = out.resolve(rung.name());
    Path modelFile = modelDir.resolve(VERSION).resolve(MODEL_FILE);
    Path configFile = modelDir.resolve(CONFIG_FILE);
    byte[] bytes = proto.toByteArray();
    write(modelFile, bytes);
    write(configFile, config(options, rung).getBytes(StandardCharsets.UTF_8));
    return new GeneratedLadder.Model(
        rung.name(),
        roundedAccuracy(rung),
        modelFile,
        configFile,
        bytes.length,
        options.zeroCompute() ? "zero-compute" : LadderModels.describe(arch));
  }

  private static String config(LadderOptions options, LadderRung rung) {
    LadderTable table = options.table();
    LadderOptions.Batching b = options.batching();
    ModelConfig.QueuePolicy queue =
        new ModelConfig.QueuePolicy(
            ModelConfig.TimeoutAction.REJECT, b.queueTimeoutMicros(), true, b.maxQueueSize());
    return ModelConfig.onnx(
            rung.name(),
            b.maxBatchSize(),
            List.of(tensor(LadderModels.INPUT, table.inputDims())),
            List.of(tensor(LadderModels.OUTPUT, List.of((long) table.classes()))))
        .withDynamicBatching(
            new ModelConfig.DynamicBatching(
                b.maxQueueDelayMicros(), b.preferredBatchSizes(), queue))
        .withParameter("accuracy", accuracyText(rung.accuracy()))
        .toPbtxt();
  }

  private static ModelConfig.TensorConfig tensor(String name, List<Long> dims) {
    return new ModelConfig.TensorConfig(
        name, Datatype.FP32, dims.stream().mapToLong(Long::longValue).toArray());
  }

  /** The accuracy as configs and reports show it: two decimals. */
  private static String accuracyText(double percent) {
    return String.format(Locale.ROOT, "%.2f", percent);
  }

  /** The accuracy as the config shows it, so that catalog and config agree exactly. */
  private static double roundedAccuracy(LadderRung rung) {
    return Double.parseDouble(accuracyText(rung.accuracy()));
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
