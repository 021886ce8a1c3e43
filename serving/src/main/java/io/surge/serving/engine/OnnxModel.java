package io.surge.serving.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.surge.serving.engine.ModelConfig.TensorConfig;
import io.surge.serving.engine.ModelExecutor.ExecutionException;
import io.surge.serving.engine.ModelInfo.TensorMetadata;
import io.surge.serving.protocol.Datatype;
import io.surge.serving.protocol.InferTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One loaded model: its ONNX Runtime session and config. Runs a batch of requests as one session
 * run, concatenating inputs along the batch dimension and splitting outputs back.
 */
final class OnnxModel implements ExecutableModel {

  private final OrtEnvironment env;
  private final OrtSession session;
  private final ModelConfig config;
  private final ModelInfo info;
  private final Map<String, ByteBuffer> inputBuffers = new HashMap<>();

  private OnnxModel(OrtEnvironment env, OrtSession session, ModelConfig config, String version) {
    this.env = env;
    this.session = session;
    this.config = config;
    this.info = modelInfo(config, version);
  }

  /** Creates the session and checks the config against the graph; closes the session on failure. */
  static OnnxModel load(
      OrtEnvironment env, ModelRepository.Entry entry, OrtSession.SessionOptions options) {
    OrtSession session;
    try {
      session = env.createSession(entry.modelFile().toString(), options);
    } catch (OrtException e) {
      throw new ModelRepositoryException(
          "model '"
              + entry.name()
              + "': ONNX Runtime cannot load "
              + entry.modelFile()
              + ": "
              + e.getMessage(),
          e);
    }
    try {
      ModelSignatureCheck.check(entry.config(), session.getInputInfo(), session.getOutputInfo());
      return new OnnxModel(env, session, entry.config(), entry.version());
    } catch (OrtException | RuntimeException e) {
      closeQuietly(session);
      if (e instanceof ModelRepositoryException m) {
        throw m;
      }
      throw new ModelRepositoryException("model '" + entry.name() + "': " + e.getMessage(), e);
    }
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  /**
   * Runs requests as one batch. Each request is its list of inputs (already validated) and the
   * outputs it wants (empty = all).
   */
  @Override
  public BatchOutput run(
      List<List<InferTensor>> requestInputs, List<List<String>> requestOutputs, int[] rows)
      throws OrtException {
    long t0 = System.nanoTime();
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      for (TensorConfig input : config.inputs()) {
        inputs.put(input.name(), concatenate(input, requestInputs));
      }
      long t1 = System.nanoTime();
      try (OrtSession.Result result = session.run(inputs, outputNames())) {
        long t2 = System.nanoTime();
        List<List<InferTensor>> outputs = split(result, requestOutputs, rows);
        long t3 = System.nanoTime();
        return new BatchOutput(outputs, t1 - t0, t2 - t1, t3 - t2);
      }
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private Set<String> outputNames() {
    Set<String> names = new LinkedHashSet<>();
    config.outputs().forEach(t -> names.add(t.name()));
    return names;
  }

  private OnnxTensor concatenate(TensorConfig input, List<List<InferTensor>> requestInputs)
      throws OrtException {
    List<InferTensor> parts = new ArrayList<>(requestInputs.size());
    long bytes = 0;
    long rows = 0;
    for (List<InferTensor> request : requestInputs) {
      InferTensor part = find(request, input.name());
      parts.add(part);
      bytes += part.data().remaining();
      rows += part.shape().length == 0 ? 1 : part.shape()[0];
    }
    ByteBuffer joined = inputBuffer(input.name(), Math.toIntExact(bytes));
    for (InferTensor part : parts) {
      joined.put(part.data().duplicate());
    }
    joined.flip();
    return OnnxTensor.createTensor(
        env,
        joined,
        modelShape(input, parts.get(0).shape(), rows),
        OrtTypes.inputType(input.dataType()));
  }

  /**
   * The shape the graph takes: the batch of all rows (when batching) followed by the request's
   * shape, or by the config's reshape of it (Triton's {@code reshape}).
   */
  private long[] modelShape(TensorConfig input, long[] requestShape, long rows) {
    boolean batched = config.maxBatchSize() > 0;
    long[] inner =
        input.toModelShape(
            batched ? Arrays.copyOfRange(requestShape, 1, requestShape.length) : requestShape);
    if (!batched) {
      return inner;
    }
    long[] shape = new long[inner.length + 1];
    shape[0] = rows;
    System.arraycopy(inner, 0, shape, 1, inner.length);
    return shape;
  }

  /**
   * A cleared direct buffer of at least {@code bytes} for an input, reused across runs: only one
   * run of a model happens at a time, and its tensors are closed before the next run.
   */
  private ByteBuffer inputBuffer(String name, int bytes) {
    ByteBuffer buffer = inputBuffers.get(name);
    if (buffer == null || buffer.capacity() < bytes) {
      buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
      inputBuffers.put(name, buffer);
    }
    buffer.clear().limit(bytes);
    return buffer;
  }

  private List<List<InferTensor>> split(
      OrtSession.Result result, List<List<String>> requestOutputs, int[] rows) {
    Map<String, SplitOutput> byName = new HashMap<>();
    for (TensorConfig output : config.outputs()) {
      Optional<OnnxValue> value = result.get(output.name());
      if (value.isEmpty() || !(value.get() instanceof OnnxTensor tensor)) {
        throw new ExecutionException(
            500, "model '" + config.name() + "' produced no tensor '" + output.name() + "'");
      }
      byName.put(output.name(), SplitOutput.of(config, output, tensor, rows));
    }
    List<List<InferTensor>> perRequest = new ArrayList<>(rows.length);
    for (int r = 0; r < rows.length; r++) {
      List<String> wanted = requestOutputs.get(r);
      List<InferTensor> outputs = new ArrayList<>();
      if (wanted == null || wanted.isEmpty()) {
        for (TensorConfig output : config.outputs()) {
          outputs.add(byName.get(output.name()).part(r));
        }
      } else {
        for (String name : wanted) {
          outputs.add(byName.get(name).part(r));
        }
      }
      perRequest.add(outputs);
    }
    return perRequest;
  }

  /** One output of a batch, cut into per-request parts along the batch dimension. */
  private record SplitOutput(
      String name,
      Datatype datatype,
      long[] shape,
      ByteBuffer data,
      int[] rows,
      long rowBytes,
      boolean batched) {

    static SplitOutput of(ModelConfig config, TensorConfig output, OnnxTensor tensor, int[] rows) {
      long[] shape = tensor.getInfo().getShape();
      ByteBuffer data = tensor.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      boolean batched = config.maxBatchSize() > 0;
      if (!batched) {
        return new SplitOutput(
            output.name(),
            output.dataType(),
            output.toApiShape(shape),
            data,
            rows,
            data.remaining(),
            false);
      }
      long totalRows = 0;
      for (int r : rows) {
        totalRows += r;
      }
      if (shape.length == 0 || shape[0] != totalRows) {
        throw new ExecutionException(
            500,
            "model '"
                + config.name()
                + "' output '"
                + output.name()
                + "' has shape "
                + Arrays.toString(shape)
                + ", expected batch "
                + totalRows);
      }
      // answered in the API shape: the batch, then the model's shape mapped back through reshape
      long[] inner = output.toApiShape(Arrays.copyOfRange(shape, 1, shape.length));
      long[] apiShape = new long[inner.length + 1];
      apiShape[0] = totalRows;
      System.arraycopy(inner, 0, apiShape, 1, inner.length);
      return new SplitOutput(
          output.name(),
          output.dataType(),
          apiShape,
          data,
          rows,
          data.remaining() / totalRows,
          true);
    }

    InferTensor part(int request) {
      if (!batched) {
        return new InferTensor(name, datatype, shape, data.duplicate());
      }
      long firstRow = 0;
      for (int r = 0; r < request; r++) {
        firstRow += rows[r];
      }
      int from = Math.toIntExact(firstRow * rowBytes);
      int length = Math.toIntExact(rows[request] * rowBytes);
      // A view: the batch's output buffer is a heap copy already, owned by no one else.
      ByteBuffer copy = data.slice(from, length);
      long[] partShape = shape.clone();
      partShape[0] = rows[request];
      return new InferTensor(name, datatype, partShape, copy);
    }
  }

  private static InferTensor find(List<InferTensor> inputs, String name) {
    for (InferTensor tensor : inputs) {
      if (tensor.name().equals(name)) {
        return tensor;
      }
    }
    throw new IllegalStateException("validated request lacks input " + name);
  }

  static ModelInfo modelInfo(ModelConfig config, String version) {
    return new ModelInfo(
        config.name(),
        version,
        ModelConfig.ONNX_PLATFORM,
        metadata(config.inputs(), config.maxBatchSize()),
        metadata(config.outputs(), config.maxBatchSize()),
        config.maxBatchSize(),
        config.parameters());
  }

  private static List<TensorMetadata> metadata(List<TensorConfig> tensors, int maxBatchSize) {
    List<TensorMetadata> out = new ArrayList<>();
    for (TensorConfig t : tensors) {
      long[] dims = t.dims();
      long[] shape = dims;
      if (maxBatchSize > 0) {
        shape = new long[dims.length + 1];
        shape[0] = -1;
        System.arraycopy(dims, 0, shape, 1, dims.length);
      }
      out.add(new TensorMetadata(t.name(), t.dataType().name(), shape));
    }
    return out;
  }

  @Override
  public void close() {
    closeQuietly(session);
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException ignored) {
      // Closing at shutdown: nothing useful to do with a failure.
    }
  }
}
