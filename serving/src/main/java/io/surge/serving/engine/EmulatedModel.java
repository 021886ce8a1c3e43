package io.surge.serving.engine;

import io.surge.serving.engine.ModelConfig.TensorConfig;
import io.surge.serving.engine.ModelExecutor.ExecutionException;
import io.surge.serving.protocol.Datatype;
import io.surge.serving.protocol.InferTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One model of the repository on an {@link EmulatedDevice}: nothing is computed and no ONNX file is
 * loaded. A batch holds the execution thread (the device) for the profiled latency without burning
 * CPU, then every request gets <b>zeros</b> of the declared output names, datatypes and shapes
 * (batch dimension = its rows; a variable dimension of the config is answered as 1).
 *
 * <p>Disturbances: during an error window every call is refused at once with HTTP 500; during an
 * outage every call, queued or running, fails by a dropped connection ({@link
 * ExecutionException#NO_ANSWER}); a slow-down factor multiplies the hold of batches that start in
 * its window.
 */
final class EmulatedModel implements ExecutableModel {

  static final String ERRORS_MESSAGE = "emulated server error (disturbance window)";
  static final String OUTAGE_MESSAGE = "emulated outage: the server is down";

  private final ModelConfig config;
  private final ModelInfo info;
  private final EmulatedDevice device;
  private final long startNanos;
  private final Timeline timeline;

  /**
   * The device's own time line, shared by the models of one server (only its execution thread
   * touches it). A real accelerator starts the next queued batch the moment the previous one ends;
   * here the execution thread must first be woken and scheduled by the host, which on a busy
   * machine takes up to tens of milliseconds. So a batch taken within {@link #BACK_TO_BACK_NANOS}
   * of the previous one's end starts at that one's <em>scheduled</em> end: wake-up delays do not
   * add up into lost device throughput.
   */
  static final class Timeline {
    private long scheduledEnd;
    private long actualEnd;
    private boolean used;
  }

  /** A batch taken this soon after the device's last batch ended was queued when it ended. */
  static final long BACK_TO_BACK_NANOS = 3_000_000L;

  /**
   * Zero tensors by output name and rows, shared read-only (only the execution thread fills it).
   */
  private final Map<String, ByteBuffer> zeros = new HashMap<>();

  private EmulatedModel(
      ModelConfig config,
      String version,
      EmulatedDevice device,
      long startNanos,
      Timeline timeline) {
    this.config = config;
    this.info = OnnxModel.modelInfo(config, version);
    this.device = device;
    this.startNanos = startNanos;
    this.timeline = timeline;
  }

  /**
   * @throws ModelRepositoryException when the device's profile does not cover the model
   */
  static EmulatedModel create(
      ModelRepository.Entry entry, EmulatedDevice device, long startNanos, Timeline timeline) {
    try {
      device.holdMs(entry.name(), 1);
    } catch (IllegalArgumentException e) {
      throw new ModelRepositoryException(
          "model '" + entry.name() + "': the emulated device's profile has no latency for it", e);
    }
    return new EmulatedModel(entry.config(), entry.version(), device, startNanos, timeline);
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  @Override
  public ExecutionException refusal() {
    DeviceConditions.State state = stateAt(device.clock().nanoTime());
    if (state.down()) {
      return outage();
    }
    return state.errors() ? new ExecutionException(500, ERRORS_MESSAGE) : null;
  }

  @Override
  public BatchOutput run(
      List<List<InferTensor>> requestInputs, List<List<String>> requestOutputs, int[] rows)
      throws InterruptedException {
    DeviceClock clock = device.clock();
    long start = clock.nanoTime();
    DeviceConditions.State state = stateAt(start);
    if (state.down()) {
      throw outage();
    }
    if (state.errors()) {
      throw new ExecutionException(500, ERRORS_MESSAGE);
    }
    int total = 0;
    for (int r : rows) {
      total += r;
    }
    long holdNanos = Math.round(device.holdMs(config.name(), total) * state.slowdown() * 1e6);
    long deviceStart = start;
    synchronized (timeline) {
      if (timeline.used && start - timeline.actualEnd <= BACK_TO_BACK_NANOS) {
        deviceStart = Math.min(start, timeline.scheduledEnd);
      }
    }
    clock.sleepUntil(deviceStart + holdNanos);
    long end = clock.nanoTime();
    synchronized (timeline) {
      timeline.used = true;
      timeline.scheduledEnd = deviceStart + holdNanos;
      timeline.actualEnd = end;
    }
    if (stateAt(end).down()) {
      throw outage();
    }
    List<List<InferTensor>> outputs = new ArrayList<>(rows.length);
    for (int i = 0; i < rows.length; i++) {
      List<String> wanted = requestOutputs.get(i);
      List<InferTensor> out = new ArrayList<>();
      for (TensorConfig output : config.outputs()) {
        if (wanted == null || wanted.isEmpty() || wanted.contains(output.name())) {
          out.add(zeros(output, rows[i]));
        }
      }
      if (wanted != null && !wanted.isEmpty()) {
        out.sort((a, b) -> Integer.compare(wanted.indexOf(a.name()), wanted.indexOf(b.name())));
      }
      outputs.add(out);
    }
    return new BatchOutput(outputs, 0, end - start, 0);
  }

  private DeviceConditions.State stateAt(long nanos) {
    return device.conditions().at((nanos - startNanos) / 1e9);
  }

  private static ExecutionException outage() {
    return new ExecutionException(ExecutionException.NO_ANSWER, OUTAGE_MESSAGE);
  }

  private InferTensor zeros(TensorConfig output, int requestRows) {
    long[] dims = output.dims();
    boolean batched = config.maxBatchSize() > 0;
    long[] shape = new long[dims.length + (batched ? 1 : 0)];
    int at = 0;
    if (batched) {
      shape[at++] = requestRows;
    }
    long elements = batched ? requestRows : 1;
    for (long d : dims) {
      long n = d < 0 ? 1 : d;
      shape[at++] = n;
      elements *= n;
    }
    Datatype type = output.dataType();
    // a BYTES element is a 4-byte length prefix: zero = the empty string
    long bytes = elements * (type == Datatype.BYTES ? 4 : type.byteSize());
    ByteBuffer buffer =
        zeros.computeIfAbsent(
            output.name() + "/" + requestRows,
            k ->
                ByteBuffer.allocate(Math.toIntExact(bytes))
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asReadOnlyBuffer());
    return new InferTensor(output.name(), type, shape, buffer);
  }

  @Override
  public void close() {
    // nothing loaded
  }
}
