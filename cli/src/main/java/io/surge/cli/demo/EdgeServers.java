package io.surge.cli.demo;

import io.surge.cli.bench.BatchMix;
import io.surge.cli.devices.Devices;
import io.surge.serving.engine.DeviceExecutor;
import io.surge.serving.engine.EmulatedDevice;
import io.surge.serving.engine.ModelInfo;
import io.surge.serving.engine.ModelStatistics;
import io.surge.serving.ladder.GeneratedLadder;
import io.surge.serving.ladder.LadderOptions;
import io.surge.serving.ladder.ModelLadder;
import io.surge.serving.server.InferenceGrpcServer;
import io.surge.serving.server.InferenceHttpServer;
import io.surge.serving.server.ServerOptions;
import io.surge.state.catalog.Catalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A few embedded edge inference servers on 127.0.0.1, each serving the same generated model ladder
 * with its own executor (one execution at a time per server, like one GPU each), on ONNX Runtime or
 * on emulated accelerators ({@link Devices}), and the catalog that points at them. For the demo and
 * the end-to-end tests.
 */
public final class EdgeServers implements AutoCloseable {

  private final List<DeviceExecutor> executors = new ArrayList<>();
  private final List<InferenceHttpServer> servers = new ArrayList<>();
  private final List<InferenceGrpcServer> grpcServers = new ArrayList<>();
  private final Catalog catalog;
  private final GeneratedLadder ladder;
  private final Devices devices;

  private EdgeServers(
      Path repository, GeneratedLadder ladder, int count, Devices devices, int grpcCount) {
    this.ladder = ladder;
    this.devices = devices;
    List<Catalog.Server> entries = new ArrayList<>();
    List<String> names = IntStream.range(0, count).mapToObj(i -> "edge-" + i).toList();
    try {
      for (int i = 0; i < count; i++) {
        DeviceExecutor executor = devices.open(repository, names, i);
        executors.add(executor);
        String name = names.get(i);
        ServerOptions options = ServerOptions.defaults().withServerInfo(name, "surge-embedded");
        InferenceHttpServer server = InferenceHttpServer.start(executor, options);
        servers.add(server);
        String url = server.baseUri().toString();
        if (i >= count - grpcCount) {
          // the same executor over gRPC as well; the catalog sends the job there
          InferenceGrpcServer grpc = InferenceGrpcServer.start(executor, options);
          grpcServers.add(grpc);
          url = grpc.baseUri().toString();
        }
        List<String> models =
            ladder.catalog().services().get(0).variants().stream()
                .map(Catalog.Variant::model)
                .toList();
        entries.add(new Catalog.Server(name, url, models));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    this.catalog = new Catalog(ladder.catalog().services(), entries);
  }

  /**
   * Generates a ladder into {@code repository} and starts {@code count} servers on it.
   *
   * @param options the ladder (its servers are replaced by the started ones)
   */
  public static EdgeServers start(Path repository, LadderOptions options, int count) {
    return start(repository, ModelLadder.generate(repository, options), count, Devices.cpu());
  }

  /**
   * Starts {@code count} servers named {@code edge-0 …} on a ladder already generated into {@code
   * repository}, computing on {@code devices}.
   */
  public static EdgeServers start(
      Path repository, GeneratedLadder ladder, int count, Devices devices) {
    return start(repository, ladder, count, devices, 0);
  }

  /**
   * As {@link #start(Path, GeneratedLadder, int, Devices)}, the last {@code grpcCount} servers also
   * answering KServe v2 gRPC, and listed in the catalog by their {@code grpc://} URL.
   */
  public static EdgeServers start(
      Path repository, GeneratedLadder ladder, int count, Devices devices, int grpcCount) {
    if (grpcCount < 0 || grpcCount > count) {
      throw new IllegalArgumentException("grpcCount must be in 0.." + count + ", got " + grpcCount);
    }
    return new EdgeServers(repository, ladder, count, devices, grpcCount);
  }

  /** What the servers compute on. */
  public Devices devices() {
    return devices;
  }

  /** The catalog with the started servers' URLs. */
  public Catalog catalog() {
    return catalog;
  }

  public GeneratedLadder ladder() {
    return ladder;
  }

  /** The executor (device) of server {@code index}. */
  public DeviceExecutor executor(int index) {
    return executors.get(index);
  }

  /** Every served model's cumulative statistics, server by server, in a fixed order. */
  List<ModelStatistics> statistics() {
    List<ModelStatistics> all = new ArrayList<>();
    for (DeviceExecutor executor : executors) {
      for (ModelInfo model : executor.models()) {
        all.add(executor.statistics(model.name()));
      }
    }
    return all;
  }

  /** What the servers executed between two {@link #statistics()} reads, all models together. */
  ServerWork between(List<ModelStatistics> before, List<ModelStatistics> after) {
    EmulatedDevice device =
        devices.emulated()
            ? EmulatedDevice.of(devices.profile(), devices.scale())
                .withProfileServer(devices.profileServer())
            : null;
    BatchMix batches = new BatchMix(Map.of());
    double deviceMs = 0;
    double profiledMs = 0;
    for (int i = 0; i < after.size(); i++) {
      ModelStatistics now = after.get(i);
      batches = batches.plus(BatchMix.between(before.get(i), now));
      for (ModelStatistics.BatchStat b : now.batchStats()) {
        ModelStatistics.Stat then = inferAt(before.get(i), b.batchSize());
        long executions = b.computeInfer().count() - then.count();
        deviceMs += (b.computeInfer().ns() - then.ns()) / 1e6;
        if (device != null) {
          profiledMs += executions * device.holdMs(now.name(), b.batchSize());
        }
      }
    }
    return new ServerWork(batches, deviceMs, device == null ? Double.NaN : profiledMs);
  }

  private static ModelStatistics.Stat inferAt(ModelStatistics stats, int batchSize) {
    return stats.batchStats().stream()
        .filter(b -> b.batchSize() == batchSize)
        .map(ModelStatistics.BatchStat::computeInfer)
        .findFirst()
        .orElse(new ModelStatistics.Stat(0, 0));
  }

  /** The largest max_batch_size among the served models. */
  int maxBatchSize() {
    return executors.stream()
        .flatMap(e -> e.models().stream())
        .mapToInt(ModelInfo::maxBatchSize)
        .max()
        .orElse(0);
  }

  public List<InferenceHttpServer> servers() {
    return servers;
  }

  @Override
  public void close() {
    grpcServers.forEach(InferenceGrpcServer::close);
    servers.forEach(InferenceHttpServer::close);
    executors.forEach(DeviceExecutor::close);
  }
}
