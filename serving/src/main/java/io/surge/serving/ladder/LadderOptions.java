package io.surge.serving.ladder;

import java.util.List;

/**
 * What {@link ModelLadder#generate} writes.
 *
 * @param service the catalog service, e.g. {@code image-classification}
 * @param deadlineMs the service's default latency SLO in the catalog
 * @param scale width multiplier: 1 = the calibrated ladder, e.g. 0.05 = tiny models with the same
 *     structure, names and accuracies (tests, quick demos)
 * @param seed weights are a pure function of it
 * @param zeroCompute every variant's model is a zero-compute stand-in (Flatten + Slice) with the
 *     same name, inputs and outputs: for benchmarks of everything but the models
 * @param table rungs and architecture (the calibrated table, or one from {@link LadderCalibrator})
 * @param servers the catalog's servers; each hosts every variant unless it lists models
 * @param batching the {@code dynamic_batching} settings of every model's config
 */
public record LadderOptions(
    String service,
    int deadlineMs,
    double scale,
    long seed,
    boolean zeroCompute,
    LadderTable table,
    List<ServerSpec> servers,
    Batching batching) {

  public static final String DEFAULT_SERVICE = "image-classification";
  public static final int DEFAULT_DEADLINE_MS = 100;
  public static final long DEFAULT_SEED = 20240601L;

  public LadderOptions {
    if (service == null || !service.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException(
          "service must be a non-empty name of letters, digits, '.', '_' or '-', got '"
              + service
              + "'");
    }
    if (deadlineMs <= 0) {
      throw new IllegalArgumentException("deadline_ms must be positive, got " + deadlineMs);
    }
    if (!(scale > 0 && scale <= 4)) {
      throw new IllegalArgumentException("scale must be in (0, 4], got " + scale);
    }
    if (table == null || batching == null) {
      throw new IllegalArgumentException("table and batching are required");
    }
    servers = List.copyOf(servers);
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("at least one server is required");
    }
  }

  /** The calibrated ladder for {@code image-classification} on one server {@code edge-0}. */
  public static LadderOptions defaults() {
    return new LadderOptions(
        DEFAULT_SERVICE,
        DEFAULT_DEADLINE_MS,
        1.0,
        DEFAULT_SEED,
        false,
        LadderTable.imageClassification(),
        List.of(ServerSpec.hostingAll("edge-0", "http://127.0.0.1:8000")),
        Batching.defaults(DEFAULT_DEADLINE_MS));
  }

  public LadderOptions withService(String newService) {
    return new LadderOptions(
        newService, deadlineMs, scale, seed, zeroCompute, table, servers, batching);
  }

  /** A new deadline; the queue timeout follows it when it was the old deadline. */
  public LadderOptions withDeadlineMs(int newDeadlineMs) {
    Batching newBatching =
        batching.queueTimeoutMicros() == deadlineMs * 1000L
            ? batching.withQueueTimeoutMicros(newDeadlineMs * 1000L)
            : batching;
    return new LadderOptions(
        service, newDeadlineMs, scale, seed, zeroCompute, table, servers, newBatching);
  }

  public LadderOptions withScale(double newScale) {
    return new LadderOptions(
        service, deadlineMs, newScale, seed, zeroCompute, table, servers, batching);
  }

  public LadderOptions withSeed(long newSeed) {
    return new LadderOptions(
        service, deadlineMs, scale, newSeed, zeroCompute, table, servers, batching);
  }

  public LadderOptions withZeroCompute(boolean zero) {
    return new LadderOptions(service, deadlineMs, scale, seed, zero, table, servers, batching);
  }

  public LadderOptions withTable(LadderTable newTable) {
    return new LadderOptions(
        service, deadlineMs, scale, seed, zeroCompute, newTable, servers, batching);
  }

  public LadderOptions withServers(List<ServerSpec> newServers) {
    return new LadderOptions(
        service, deadlineMs, scale, seed, zeroCompute, table, newServers, batching);
  }

  public LadderOptions withBatching(Batching newBatching) {
    return new LadderOptions(
        service, deadlineMs, scale, seed, zeroCompute, table, servers, newBatching);
  }

  /**
   * A server of the catalog.
   *
   * @param models the variant models it hosts; empty = all of them
   */
  public record ServerSpec(String name, String url, List<String> models) {
    public ServerSpec {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("server name must not be blank");
      }
      if (url == null || !url.matches("https?://.+")) {
        throw new IllegalArgumentException(
            "server '" + name + "' needs an http(s) URL, got '" + url + "'");
      }
      models = List.copyOf(models);
    }

    public static ServerSpec hostingAll(String name, String url) {
      return new ServerSpec(name, url, List.of());
    }

    /** Parses {@code name=url}, the form a command line takes. */
    public static ServerSpec parse(String spec) {
      int eq = spec == null ? -1 : spec.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "server must be given as name=url, e.g. edge-0=http://127.0.0.1:8000, got '"
                + spec
                + "'");
      }
      return hostingAll(spec.substring(0, eq).trim(), spec.substring(eq + 1).trim());
    }
  }

  /**
   * Triton {@code max_batch_size} and {@code dynamic_batching} settings.
   *
   * @param maxBatchSize largest batch the server may form
   * @param preferredBatchSizes batch sizes the batcher prefers to form, each <= maxBatchSize
   * @param maxQueueDelayMicros how long the batcher may hold a request to grow a batch
   * @param queueTimeoutMicros {@code default_queue_policy} timeout: a request still queued after
   *     this is rejected (default: the service deadline, after which its answer is worthless)
   * @param maxQueueSize {@code default_queue_policy} bound on queued requests (0 = unbounded)
   */
  public record Batching(
      int maxBatchSize,
      List<Integer> preferredBatchSizes,
      long maxQueueDelayMicros,
      long queueTimeoutMicros,
      int maxQueueSize) {
    public Batching {
      preferredBatchSizes = List.copyOf(preferredBatchSizes);
      if (maxBatchSize < 1) {
        throw new IllegalArgumentException("max_batch_size must be >= 1, got " + maxBatchSize);
      }
      for (int size : preferredBatchSizes) {
        if (size < 1 || size > maxBatchSize) {
          throw new IllegalArgumentException(
              "preferred batch size " + size + " is outside 1.." + maxBatchSize);
        }
      }
      if (maxQueueDelayMicros < 0 || queueTimeoutMicros < 0 || maxQueueSize < 0) {
        throw new IllegalArgumentException("queue delay, timeout and size must be >= 0");
      }
    }

    /** max batch 16, preferred 4/8/16, 2 ms queue delay, queue timeout = the deadline. */
    public static Batching defaults(int deadlineMs) {
      return new Batching(16, List.of(4, 8, 16), 2000, deadlineMs * 1000L, 256);
    }

    public Batching withQueueTimeoutMicros(long micros) {
      return new Batching(
          maxBatchSize, preferredBatchSizes, maxQueueDelayMicros, micros, maxQueueSize);
    }
  }
}
