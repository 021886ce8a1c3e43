package io.surge.serving.engine;

import io.surge.serving.protocol.Datatype;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subset of Triton's model configuration ({@code config.pbtxt}, protobuf text format) that
 * Surge reads and writes. {@link #toPbtxt()} produces text Triton itself loads; {@link
 * #parse(String, String)} and {@link #read(Path)} read it back, ignoring fields Surge does not use
 * (e.g. {@code instance_group}).
 *
 * @param platform e.g. {@code "onnxruntime_onnx"}; empty when only {@code backend} is given
 * @param backend e.g. {@code "onnxruntime"}; empty when only {@code platform} is given
 * @param maxBatchSize 0 = no batching; otherwise {@code dims} exclude the batch dimension
 * @param dynamicBatching null when the model has no {@code dynamic_batching} block
 * @param parameters string parameters in file order, e.g. {@code accuracy -> "76.13"}
 */
public record ModelConfig(
    String name,
    String platform,
    String backend,
    int maxBatchSize,
    List<TensorConfig> inputs,
    List<TensorConfig> outputs,
    DynamicBatching dynamicBatching,
    Map<String, String> parameters) {

  /** Triton's platform name for ONNX models run by ONNX Runtime. */
  public static final String ONNX_PLATFORM = "onnxruntime_onnx";

  /** Triton's backend name for ONNX Runtime. */
  public static final String ONNX_BACKEND = "onnxruntime";

  public ModelConfig {
    if (name == null || name.isBlank()) {
      throw new ModelConfigException("model config has no name");
    }
    if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
      // The name is a directory of the repository: it must not lead out of it.
      throw new ModelConfigException("model name '" + name + "' is not a plain directory name");
    }
    if (maxBatchSize < 0) {
      throw new ModelConfigException(name + ": max_batch_size must be >= 0, got " + maxBatchSize);
    }
    platform = platform == null ? "" : platform;
    backend = backend == null ? "" : backend;
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    for (TensorConfig input : inputs) {
      input.checkReshape("input", maxBatchSize > 0);
    }
    for (TensorConfig output : outputs) {
      output.checkReshape("output", maxBatchSize > 0);
    }
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** An ONNX Runtime model with no dynamic batching and no parameters. */
  public static ModelConfig onnx(
      String name, int maxBatchSize, List<TensorConfig> inputs, List<TensorConfig> outputs) {
    return new ModelConfig(name, ONNX_PLATFORM, "", maxBatchSize, inputs, outputs, null, Map.of());
  }

  /** This config with the given dynamic batching (null removes it). */
  public ModelConfig withDynamicBatching(DynamicBatching batching) {
    return new ModelConfig(
        name, platform, backend, maxBatchSize, inputs, outputs, batching, parameters);
  }

  /** This config with one more (or a replaced) string parameter. */
  public ModelConfig withParameter(String key, String value) {
    Map<String, String> more = new LinkedHashMap<>(parameters);
    more.put(key, value);
    return new ModelConfig(
        name, platform, backend, maxBatchSize, inputs, outputs, dynamicBatching, more);
  }

  /** The config in protobuf text format, as Triton reads it. */
  public String toPbtxt() {
    return ModelConfigWriter.write(this);
  }

  /** Writes {@link #toPbtxt()} to a file (UTF-8), e.g. {@code <repo>/<model>/config.pbtxt}. */
  public void write(Path file) {
    try {
      Files.writeString(file, toPbtxt(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Parses protobuf text; {@code source} names the text in errors ({@code source:line: message}).
   *
   * @throws ModelConfigException for malformed text or invalid values
   */
  public static ModelConfig parse(String source, String text) {
    return ModelConfigReader.read(source, text);
  }

  /** Reads and parses a {@code config.pbtxt} file. */
  public static ModelConfig read(Path file) {
    try {
      return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The input or output of this name, or null. */
  public TensorConfig input(String inputName) {
    return inputs.stream().filter(t -> t.name().equals(inputName)).findFirst().orElse(null);
  }

  /**
   * An input or output: name, Triton data type and dims (without the batch dimension when {@code
   * max_batch_size > 0}; -1 = variable), and Triton's optional {@code reshape}.
   *
   * <p>{@code dims} is the shape the inference API sees (requests, answers, metadata); {@code
   * reshape}, when given, is the shape the model itself takes or produces, as Triton applies it:
   * the request's tensor is handed to the model in the reshape shape, and the model's output is
   * answered in the dims shape. Both hold the same elements; each variable-size dimension of the
   * reshape takes the value of the corresponding variable-size dimension of the other side, in
   * order. An empty reshape (a batching model's {@code [batch]} tensor) is allowed.
   *
   * @param reshape null when the config has no {@code reshape}
   */
  public record TensorConfig(String name, Datatype dataType, long[] dims, long[] reshape) {

    /** A tensor without reshape. */
    public TensorConfig(String name, Datatype dataType, long[] dims) {
      this(name, dataType, dims, null);
    }

    public TensorConfig {
      if (name == null || name.isEmpty()) {
        throw new ModelConfigException("tensor without a name");
      }
      if (dataType == null) {
        throw new ModelConfigException("tensor '" + name + "' has no data_type");
      }
      dims = dims.clone();
      for (long d : dims) {
        if (d < -1 || d == 0) {
          throw new ModelConfigException(
              "tensor '" + name + "' has invalid dims " + Arrays.toString(dims));
        }
      }
      reshape = reshape == null ? null : reshape.clone();
    }

    @Override
    public long[] reshape() {
      return reshape == null ? null : reshape.clone();
    }

    /** Whether the config gives a {@code reshape}. */
    public boolean hasReshape() {
      return reshape != null;
    }

    /** The shape the model itself sees (without the batch dimension): reshape, else dims. */
    public long[] modelDims() {
      return reshape != null ? reshape.clone() : dims.clone();
    }

    /**
     * The model-side shape of a tensor whose API-side shape (without the batch dimension) is {@code
     * apiShape}: the reshape with its variable dimensions filled in order from the API shape's
     * variable dimensions. Without reshape, the shape itself.
     */
    public long[] toModelShape(long[] apiShape) {
      return reshape == null ? apiShape.clone() : fill(reshape, dims, apiShape);
    }

    /** The API-side shape of a model-side shape (without the batch dimension); the inverse. */
    public long[] toApiShape(long[] modelShape) {
      return reshape == null ? modelShape.clone() : fill(dims, reshape, modelShape);
    }

    /**
     * {@code target} with each -1 replaced by the value {@code concrete} has where {@code pattern}
     * has its next -1.
     */
    private static long[] fill(long[] target, long[] pattern, long[] concrete) {
      long[] out = target.clone();
      int from = 0;
      for (int i = 0; i < out.length; i++) {
        if (out[i] != -1) {
          continue;
        }
        while (from < pattern.length && pattern[from] != -1) {
          from++;
        }
        out[i] = from < concrete.length ? concrete[from] : 1;
        from++;
      }
      return out;
    }

    /**
     * Triton's checks of a reshape against the dims, in its order and with its messages: positive
     * or -1 dimensions, no empty reshape without batching (scalars are not supported), the same
     * element count (variable when either has a variable dimension), the same number of
     * variable-size dimensions, and the same number of elements between them.
     *
     * @param kind "input" or "output"
     */
    void checkReshape(String kind, boolean batching) {
      if (reshape == null) {
        return;
      }
      String tensor = "model " + kind + " '" + name + "'";
      for (long d : reshape) {
        if (d < -1 || d == 0) {
          throw new ModelConfigException(
              tensor
                  + " reshape dimensions must be integer >= 1, or -1 to indicate a variable-size"
                  + " dimension");
        }
      }
      if (reshape.length == 0 && !batching) {
        throw new ModelConfigException(
            tensor
                + " cannot have empty reshape for non-batching model as scalar tensors are not"
                + " supported");
      }
      if (elementCount(dims) != elementCount(reshape)) {
        throw new ModelConfigException(tensor + " has different size for dims and reshape");
      }
      List<Long> dimsSegments = segments(dims);
      List<Long> reshapeSegments = segments(reshape);
      if (dimsSegments.size() != reshapeSegments.size()) {
        throw new ModelConfigException(
            tensor + " has different number of variable-size dimensions for dims and reshape");
      }
      if (!dimsSegments.equals(reshapeSegments)) {
        throw new ModelConfigException(tensor + " has different size for dims and reshape");
      }
    }

    /** The number of elements, or -1 when a dimension is variable (Triton's element count). */
    private static long elementCount(long[] shape) {
      long count = 1;
      for (long d : shape) {
        if (d == -1) {
          return -1;
        }
        count *= d;
      }
      return count;
    }

    /** The element counts of the runs of fixed dimensions between variable-size ones. */
    private static List<Long> segments(long[] shape) {
      List<Long> out = new java.util.ArrayList<>();
      long product = 1;
      for (long d : shape) {
        if (d == -1) {
          out.add(product);
          product = 1;
        } else {
          product *= d;
        }
      }
      out.add(product);
      return out;
    }

    @Override
    public long[] dims() {
      return dims.clone();
    }

    /** Triton's name of a protocol datatype, e.g. {@code FP32 -> TYPE_FP32}. */
    public static String tritonType(Datatype type) {
      return type == Datatype.BYTES ? "TYPE_STRING" : "TYPE_" + type.name();
    }

    /** The protocol datatype of a Triton type name; throws naming it if unknown. */
    public static Datatype fromTritonType(String tritonName) {
      if ("TYPE_STRING".equals(tritonName)) {
        return Datatype.BYTES;
      }
      if (tritonName.startsWith("TYPE_")) {
        try {
          Datatype type = Datatype.valueOf(tritonName.substring(5));
          if (type != Datatype.BYTES) {
            return type;
          }
        } catch (IllegalArgumentException ignored) {
          // falls through to the error below
        }
      }
      throw new ModelConfigException("unsupported data_type " + tritonName);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TensorConfig t
          && name.equals(t.name)
          && dataType == t.dataType
          && Arrays.equals(dims, t.dims)
          && Arrays.equals(reshape, t.reshape);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * (31 * name.hashCode() + dataType.hashCode()) + Arrays.hashCode(dims))
          + Arrays.hashCode(reshape);
    }

    @Override
    public String toString() {
      return name
          + ":"
          + tritonType(dataType)
          + Arrays.toString(dims)
          + (reshape == null ? "" : " reshape " + Arrays.toString(reshape));
    }
  }

  /**
   * Triton's {@code dynamic_batching} block.
   *
   * @param maxQueueDelayMicros how long the batcher may hold a request to grow the batch
   * @param preferredBatchSizes batch sizes to aim for; empty = as large as possible
   */
  public record DynamicBatching(
      long maxQueueDelayMicros, List<Integer> preferredBatchSizes, QueuePolicy defaultQueuePolicy) {

    public DynamicBatching {
      if (maxQueueDelayMicros < 0) {
        throw new ModelConfigException("max_queue_delay_microseconds must be >= 0");
      }
      preferredBatchSizes = List.copyOf(preferredBatchSizes);
      for (int size : preferredBatchSizes) {
        if (size <= 0) {
          throw new ModelConfigException("preferred_batch_size must be > 0, got " + size);
        }
      }
      defaultQueuePolicy = defaultQueuePolicy == null ? QueuePolicy.DEFAULT : defaultQueuePolicy;
    }

    /** Batching with a delay, no preferred sizes and the default (unbounded) queue policy. */
    public static DynamicBatching withDelay(long maxQueueDelayMicros) {
      return new DynamicBatching(maxQueueDelayMicros, List.of(), QueuePolicy.DEFAULT);
    }
  }

  /**
   * Triton's {@code default_queue_policy}.
   *
   * @param defaultTimeoutMicros 0 = requests never time out in the queue
   * @param allowTimeoutOverride whether a request's own timeout may shorten the default
   * @param maxQueueSize 0 = unbounded
   */
  public record QueuePolicy(
      TimeoutAction timeoutAction,
      long defaultTimeoutMicros,
      boolean allowTimeoutOverride,
      int maxQueueSize) {

    /** Triton's defaults: reject on timeout, no timeout, no override, unbounded. */
    public static final QueuePolicy DEFAULT = new QueuePolicy(TimeoutAction.REJECT, 0, false, 0);

    /**
     * Queue timeout of a request in microseconds (0 = none): the default, which a request's own
     * timeout may only shorten, and only when {@code allow_timeout_override} is set (as Triton).
     */
    public long effectiveTimeoutMicros(long requestedMicros) {
      if (allowTimeoutOverride && requestedMicros > 0 && requestedMicros < defaultTimeoutMicros) {
        return requestedMicros;
      }
      return defaultTimeoutMicros;
    }

    public QueuePolicy {
      timeoutAction = timeoutAction == null ? TimeoutAction.REJECT : timeoutAction;
      if (defaultTimeoutMicros < 0 || maxQueueSize < 0) {
        throw new ModelConfigException(
            "default_timeout_microseconds and max_queue_size must be >= 0");
      }
    }
  }

  /** What happens to a request whose queue timeout expires. */
  public enum TimeoutAction {
    /** It fails with 503 "Request timeout expired". */
    REJECT,
    /** It stays queued behind every request that has not timed out. */
    DELAY
  }
}
