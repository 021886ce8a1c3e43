package io.surge.cli.bench;

import io.surge.operators.invoke.CallAnswer;
import io.surge.operators.invoke.InferenceCall;
import io.surge.operators.invoke.InferenceCallFactory;
import io.surge.operators.invoke.KServeInferenceCall;
import io.surge.schema.Dispatch;
import io.surge.serving.client.KServeClient;
import io.surge.state.catalog.Catalog;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The production {@link KServeInferenceCall} with one tunable more: the threads of the HTTP
 * clients. By default the JDK's client runs its work and completes futures on a cached pool that
 * grows a thread per concurrent exchange; a small fixed pool costs fewer context switches on a
 * small machine.
 *
 * @param httpThreads threads shared by the clients of one invoker instance, or 0 for the JDK's
 *     default executor
 */
record BenchInferenceCalls(
    String catalogYaml, Duration connectTimeout, int httpThreads, int maxBatch, Duration batchDelay)
    implements InferenceCallFactory {

  /**
   * @param maxBatch 1: one protocol call per dispatch ({@link KServeInferenceCall}); more: calls
   *     grouped per model and server ({@link BatchingInferenceCall})
   */
  static BenchInferenceCalls of(Catalog catalog, int httpThreads, int maxBatch, Duration delay) {
    return new BenchInferenceCalls(
        catalog.toYaml(), Duration.ofSeconds(1), httpThreads, maxBatch, delay);
  }

  @Override
  public InferenceCall create() {
    Catalog catalog = Catalog.parse(catalogYaml);
    ExecutorService threads = httpThreads == 0 ? null : newPool(httpThreads);
    Function<URI, KServeClient> clientOf =
        uri -> KServeClient.builder(uri).connectTimeout(connectTimeout).executor(threads).build();
    if (maxBatch <= 1) {
      return new WithThreads(new KServeInferenceCall(catalog, clientOf, false), threads);
    }
    Map<String, KServeClient> clients = new HashMap<>();
    for (Catalog.Server server : catalog.servers()) {
      clients.put(server.name(), clientOf.apply(URI.create(server.url())));
    }
    return new WithThreads(
        new BatchingInferenceCall(catalog, clients, maxBatch, batchDelay), threads);
  }

  private static ExecutorService newPool(int size) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        size,
        r -> {
          Thread t = new Thread(r, "surge-bench-http-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** The call, and the pool it owns (null for the JDK's), shut down on close. */
  private record WithThreads(InferenceCall call, ExecutorService threads) implements InferenceCall {

    @Override
    public CompletableFuture<CallAnswer> infer(Dispatch dispatch, Duration timeout) {
      return call.infer(dispatch, timeout);
    }

    @Override
    public CompletableFuture<Boolean> ready(String server) {
      return call.ready(server);
    }

    @Override
    public void close() throws Exception {
      call.close();
      if (threads != null) {
        threads.shutdownNow();
      }
    }
  }
}
