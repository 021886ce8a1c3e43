package io.surge.serving.profile;

import io.surge.serving.client.InferOptions;
import io.surge.serving.client.InferenceClient;
import io.surge.serving.client.ServerUnavailableException;
import io.surge.serving.client.TensorEncoding;
import io.surge.serving.engine.ModelStatistics;
import io.surge.serving.protocol.InferRequest;
import io.surge.serving.protocol.ModelMetadata;
import io.surge.state.catalog.LatencyProfile;
import io.surge.state.metrics.Percentiles;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Measures what {@code surge profile} writes: the latency of each model at each batch size on one
 * inference server, over the real protocol (KServe v2 HTTP, binary tensor data), one request in
 * flight at a time, so the figure is one execution plus the protocol round trip.
 *
 * <p>All (model, batch) cases are measured <em>interleaved</em>: each round sends one request of
 * every case, so on a shared machine every case sees the same background load, and every model runs
 * with caches warmed by the others, as it will under mixed traffic.
 */
public final class Profiler {

  /** Tries of one timed request that the server rejects with 503 before the profile fails. */
  static final int MAX_ATTEMPTS = 3;

  /**
   * How to measure.
   *
   * @param batches batch sizes, each one request of that many rows
   * @param warmupRounds untimed rounds before the timed ones
   * @param runs timed rounds (samples per model and batch)
   * @param requestTimeout bound on one request
   */
  public record Settings(
      List<Integer> batches, int warmupRounds, int runs, Duration requestTimeout) {
    public Settings {
      batches = List.copyOf(batches);
      if (batches.isEmpty() || batches.stream().anyMatch(b -> b < 1)) {
        throw new IllegalArgumentException("batch sizes must be >= 1, got " + batches);
      }
      if (warmupRounds < 0 || runs < 1) {
        throw new IllegalArgumentException(
            "need warm-up >= 0 and runs >= 1, got " + warmupRounds + " and " + runs);
      }
      if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException("request timeout must be positive");
      }
    }

    /** Batches 1, 2, 4, 8, 16; 10 warm-up rounds; 50 timed rounds; 30 s per request. */
    public static Settings defaults() {
      return new Settings(List.of(1, 2, 4, 8, 16), 10, 50, Duration.ofSeconds(30));
    }
  }

  private final InferenceClient client;
  private final Settings settings;

  public Profiler(InferenceClient client, Settings settings) {
    this.client = client;
    this.settings = settings;
  }

  /**
   * The models the server serves, from its statistics extension ({@code GET /v2/models/stats}):
   * KServe v2 has no model list, and Surge's server (like Triton) reports every loaded model there.
   */
  public static List<String> servedModels(InferenceClient client, Duration timeout) {
    List<ModelStatistics> stats = await(client.statistics(null, null), timeout, "list models");
    return stats.stream().map(ModelStatistics::name).distinct().sorted().toList();
  }

  /**
   * What one profiling run measured.
   *
   * @param profile client round trips: what a scheduler calling the server sees
   * @param serverCompute the server's own mean execution time per model and batch size (compute
   *     input + infer + output from its {@code batch_stats}), without protocol and queueing; empty
   *     when the server has no statistics extension
   * @param rejected requests the server answered with 503 (warm-up: ignored; timed: sent again)
   */
  public record Result(LatencyProfile profile, List<ServerCompute> serverCompute, int rejected) {
    public Result {
      serverCompute = List.copyOf(serverCompute);
    }
  }

  /** Mean execution time of one model at one batch size, as the server's statistics report it. */
  public record ServerCompute(String model, int batch, double meanMs, long executions) {}

  /**
   * Profiles {@code models} on the server as {@code serverName} (the catalog's name for it).
   *
   * @throws ProfileException naming the model and batch that failed
   */
  public LatencyProfile profile(String serverName, List<String> models, ProgressListener progress) {
    return measure(serverName, models, progress).profile();
  }

  /**
   * {@link #profile} plus the server's own execution times over the timed rounds.
   *
   * @throws ProfileException naming the model and batch that failed
   */
  public Result measure(String serverName, List<String> models, ProgressListener progress) {
    if (models.isEmpty()) {
      throw new IllegalArgumentException("no models to profile");
    }
    List<Case> cases = cases(models);
    progress.start((long) cases.size() * (settings.warmupRounds() + settings.runs()));
    Rejections rejections = new Rejections();
    for (int round = 0; round < settings.warmupRounds(); round++) {
      for (Case c : cases) {
        sendWarmup(c, rejections);
        progress.step();
      }
    }
    List<ModelStatistics> before = statisticsOrEmpty();
    for (int round = 0; round < settings.runs(); round++) {
      for (Case c : cases) {
        c.samplesMs[round] = sendTimed(c, rejections);
        progress.step();
      }
    }
    List<ModelStatistics> after = statisticsOrEmpty();
    List<LatencyProfile.Entry> entries = new ArrayList<>();
    for (Case c : cases) {
      entries.add(c.entry(serverName));
    }
    LatencyProfile profile = new LatencyProfile(Instant.now().toString(), note(), entries);
    return new Result(profile, ServerTimes.between(before, after, keys(cases)), rejections.count);
  }

  /** Requests the server turned away with 503 (queue timeout or full queue). */
  private static final class Rejections {
    int count;
  }

  /**
   * A warm-up request; a 503 is expected on a cold server (first runs are slow, and the ladder's
   * queue timeout is the 100 ms deadline), so it is counted, not fatal.
   */
  private void sendWarmup(Case c, Rejections rejections) {
    try {
      send(c);
    } catch (ProfileException e) {
      if (!(e.getCause() instanceof ServerUnavailableException)) {
        throw e;
      }
      rejections.count++;
    }
  }

  /**
   * A timed request, in milliseconds; a request the server rejects with 503 is sent again (up to
   * {@link #MAX_ATTEMPTS} times), and only the answered attempt is timed.
   */
  private double sendTimed(Case c, Rejections rejections) {
    for (int attempt = 1; ; attempt++) {
      long start = System.nanoTime();
      try {
        send(c);
        return (System.nanoTime() - start) / 1e6;
      } catch (ProfileException e) {
        if (!(e.getCause() instanceof ServerUnavailableException) || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        rejections.count++;
      }
    }
  }

  private static List<ServerTimes.Key> keys(List<Case> cases) {
    return cases.stream().map(c -> new ServerTimes.Key(c.model, c.batch)).toList();
  }

  /** Every model's statistics, or empty when the server does not offer them. */
  private List<ModelStatistics> statisticsOrEmpty() {
    try {
      return client
          .statistics(null, null)
          .get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProfileException("interrupted reading statistics", e);
    } catch (ExecutionException | TimeoutException e) {
      return List.of();
    }
  }

  private List<Case> cases(List<String> models) {
    List<Case> cases = new ArrayList<>();
    for (String model : models) {
      ModelMetadata metadata =
          await(client.modelMetadata(model, null), settings.requestTimeout(), "read " + model);
      for (int batch : settings.batches()) {
        InferRequest request = RandomInputs.request(metadata, batch);
        cases.add(new Case(model, batch, request, new double[settings.runs()]));
      }
    }
    return cases;
  }

  private void send(Case c) {
    InferOptions options =
        InferOptions.defaults()
            .withTimeout(settings.requestTimeout())
            .withEncoding(TensorEncoding.BINARY);
    await(
        client.infer(c.model, null, c.request, options),
        settings.requestTimeout().plusSeconds(1),
        "infer " + c.model + " at batch " + c.batch);
  }

  private String note() {
    return "surge profile: KServe v2 HTTP to "
        + client.baseUri()
        + ", binary tensors, one request in flight, interleaved, "
        + settings.warmupRounds()
        + " warm-up + "
        + settings.runs()
        + " timed rounds; latency = client round trip";
  }

  private static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProfileException("interrupted: " + what, e);
    } catch (TimeoutException e) {
      throw new ProfileException("no answer within " + timeout + ": " + what, e);
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new ProfileException("cannot " + what + ": " + cause.getMessage(), cause);
    }
  }

  /** One model at one batch size, with its request and samples. */
  private record Case(String model, int batch, InferRequest request, double[] samplesMs) {
    LatencyProfile.Entry entry(String server) {
      return new LatencyProfile.Entry(
          server,
          model,
          batch,
          Percentiles.of(samplesMs, 0.5),
          Percentiles.of(samplesMs, 0.95),
          samplesMs.length);
    }
  }
}
