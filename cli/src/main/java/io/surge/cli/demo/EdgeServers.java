package io.surge.cli.demo;

import io.surge.serving.engine.DeviceExecutor;
import io.surge.serving.ladder.GeneratedLadder;
import io.surge.serving.ladder.LadderOptions;
import io.surge.serving.ladder.ModelLadder;
import io.surge.serving.server.InferenceHttpServer;
import io.surge.serving.server.ServerOptions;
import io.surge.state.catalog.Catalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A few embedded edge inference servers on 127.0.0.1, each serving the same generated model ladder
 * with its own executor (one execution at a time per server, like one GPU each), and the catalog
 * that points at them. For the demo and the end-to-end tests.
 */
public final class EdgeServers implements AutoCloseable {

  private final List<DeviceExecutor> executors = new ArrayList<>();
  private final List<InferenceHttpServer> servers = new ArrayList<>();
  private final Catalog catalog;
  private final GeneratedLadder ladder;

  private EdgeServers(Path repository, LadderOptions options, int count) {
    this.ladder = ModelLadder.generate(repository, options);
    List<Catalog.Server> entries = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        DeviceExecutor executor =
            DeviceExecutor.open(
                repository, DeviceExecutor.Options.defaults().withIntraOpThreads(1));
        executors.add(executor);
        String name = "edge-" + i;
        InferenceHttpServer server =
            InferenceHttpServer.start(
                executor, ServerOptions.defaults().withServerInfo(name, "surge-embedded"));
        servers.add(server);
        List<String> models =
            ladder.catalog().services().get(0).variants().stream()
                .map(Catalog.Variant::model)
                .toList();
        entries.add(new Catalog.Server(name, server.baseUri().toString(), models));
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
    return new EdgeServers(repository, options, count);
  }

  /** The catalog with the started servers' URLs. */
  public Catalog catalog() {
    return catalog;
  }

  public GeneratedLadder ladder() {
    return ladder;
  }

  public List<InferenceHttpServer> servers() {
    return servers;
  }

  @Override
  public void close() {
    servers.forEach(InferenceHttpServer::close);
    executors.forEach(DeviceExecutor::close);
  }
}
