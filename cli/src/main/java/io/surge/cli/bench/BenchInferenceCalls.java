package io.surge.cli.bench;

import io.surge.operators.invoke.CallAnswer;
import io.surge.operators.invoke.InferenceCall;
import io.surge.operators.invoke.InferenceCallFactory;
import io.surge.operators.invoke.KServeInferenceCall;
import io.surge.operators.invoke.MicroBatchSettings;
import io.surge.operators.invoke.MicroBatchingCall;
import io.surge.schema.Dispatch;
import io.surge.serving.client.InferenceClient;
import io.surge.serving.client.InferenceClients;
import io.surge.state.catalog.Catalog;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The production {@link KServeInferenceCall} with one tunable more: the threads that complete the
 * HTTP clients' futures. By default (0) the clients' own event loops complete them, with no
 * hand-off; a small fixed pool moves the invoker's continuations off the loops.
 *
 * @param httpThreads threads shared by the clients of one invoker instance, or 0 for the clients'
 *     own event loops
 */
record BenchInferenceCalls(
    String catalogYaml, Duration connectTimeout, int httpThreads, MicroBatchSettings batching)
    implements InferenceCallFactory {

  /**
   * @param batching off: one protocol call per dispatch ({@link KServeInferenceCall}); on: the
   *     production invoker's micro-batched calls ({@link MicroBatchingCall})
   */
  static BenchInferenceCalls of(Catalog catalog, int httpThreads, MicroBatchSettings batching) {
    return new BenchInferenceCalls(catalog.toYaml(), Duration.ofSeconds(1), httpThreads, batching);
  }

  @Override
  public InferenceCall create() {
    Catalog catalog = Catalog.parse(catalogYaml);
    ExecutorService threads = httpThreads == 0 ? null : newPool(httpThreads);
    Function<URI, InferenceClient> clientOf =
        uri ->
            InferenceClients.builder(uri).connectTimeout(connectTimeout).executor(threads).build();
    KServeInferenceCall calls = new KServeInferenceCall(catalog, clientOf, false);
    if (!batching.enabled()) {
      return new WithThreads(calls, threads);
    }
    return new WithThreads(new MicroBatchingCall(calls, batching), threads);
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
