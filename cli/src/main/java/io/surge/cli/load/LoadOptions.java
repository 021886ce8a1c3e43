package io.surge.cli.load;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the load generator sends and for how long.
 *
 * @param topic the requests topic
 * @param services services to load, each request picks one uniformly; empty means every service of
 *     the catalog
 * @param deadlineMs deadline of every request, or null for each service's catalog deadline
 * @param withPayload true: a random FP32 tensor of the service's input shape; false: a null payload
 *     (the server synthesises the input)
 * @param duration stop at the first arrival this far into the schedule, or null (schedule time:
 *     after a stall the run sends all of the duration's arrivals, late, so it may last longer)
 * @param maxRequests stop after this many records (valid and invalid), or 0 for no limit; with
 *     neither limit a run lasts until its arrival process ends (a trace) or it is stopped
 * @param invalidFraction share of deliberately invalid records, spread evenly, in [0, 1]
 * @param runId prefix of the request ids ({@code runId-sequence}), unique per run
 * @param seed seed of the service, payload and invalid-kind choices
 * @param maxLag how far sending may fall behind the schedule before the schedule is shifted (so a
 *     stall is not followed by a burst of everything missed)
 * @param progressInterval how often a progress line is emitted
 * @param progress where progress lines go
 */
public record LoadOptions(
    String topic,
    List<String> services,
    Integer deadlineMs,
    boolean withPayload,
    Duration duration,
    long maxRequests,
    double invalidFraction,
    String runId,
    long seed,
    Duration maxLag,
    Duration progressInterval,
    Consumer<String> progress) {

  public LoadOptions {
    services = List.copyOf(services);
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("a requests topic is needed");
    }
    if (deadlineMs != null && deadlineMs <= 0) {
      throw new IllegalArgumentException("deadline must be positive, got " + deadlineMs + " ms");
    }
    if (!(invalidFraction >= 0 && invalidFraction <= 1)) {
      throw new IllegalArgumentException(
          "invalid fraction must be in [0, 1], got " + invalidFraction);
    }
    if (runId == null || runId.isBlank()) {
      throw new IllegalArgumentException("a run id is needed");
    }
  }

  /** Defaults: all services, catalog deadlines, null payloads, no invalid records. */
  public static LoadOptions to(String topic) {
    return new LoadOptions(
        topic,
        List.of(),
        null,
        false,
        null,
        0,
        0,
        "load-" + Long.toHexString(System.currentTimeMillis()),
        1,
        Duration.ofMillis(200),
        Duration.ofSeconds(5),
        System.err::println);
  }

  public LoadOptions withServices(List<String> list) {
    return new LoadOptions(
        topic,
        list,
        deadlineMs,
        withPayload,
        duration,
        maxRequests,
        invalidFraction,
        runId,
        seed,
        maxLag,
        progressInterval,
        progress);
  }

  public LoadOptions withDeadlineMs(Integer ms) {
    return new LoadOptions(
        topic,
        services,
        ms,
        withPayload,
        duration,
        maxRequests,
        invalidFraction,
        runId,
        seed,
        maxLag,
        progressInterval,
        progress);
  }

  public LoadOptions withPayload(boolean on) {
    return new LoadOptions(
        topic,
        services,
        deadlineMs,
        on,
        duration,
        maxRequests,
        invalidFraction,
        runId,
        seed,
        maxLag,
        progressInterval,
        progress);
  }

  public LoadOptions withDuration(Duration d) {
    return new LoadOptions(
        topic,
        services,
        deadlineMs,
        withPayload,
        d,
        maxRequests,
        invalidFraction,
        runId,
        seed,
        maxLag,
        progressInterval,
        progress);
  }

  public LoadOptions withMaxRequests(long n) {
    return new LoadOptions(
        topic,
        services,
        deadlineMs,
        withPayload,
        duration,
        n,
        invalidFraction,
        runId,
        seed,
        maxLag,
        progressInterval,
        progress);
  }

  public LoadOptions withInvalidFraction(double f) {
    return new LoadOptions(
        topic,
        services,
        deadlineMs,
        withPayload,
        duration,
        maxRequests,
        f,
        runId,
        seed,
        maxLag,
        progressInterval,
        progress);
  }

  public LoadOptions withRunId(String id) {
    return new LoadOptions(
        topic,
        services,
        deadlineMs,
        withPayload,
        duration,
        maxRequests,
        invalidFraction,
        id,
        seed,
        maxLag,
        progressInterval,
        progress);
  }

  public LoadOptions withSeed(long s) {
    return new LoadOptions(
        topic,
        services,
        deadlineMs,
        withPayload,
        duration,
        maxRequests,
        invalidFraction,
        runId,
        s,
        maxLag,
        progressInterval,
        progress);
  }

  public LoadOptions withMaxLag(Duration lag) {
    return new LoadOptions(
        topic,
        services,
        deadlineMs,
        withPayload,
        duration,
        maxRequests,
        invalidFraction,
        runId,
        seed,
        lag,
        progressInterval,
        progress);
  }

  public LoadOptions withProgress(Duration interval, Consumer<String> sink) {
    return new LoadOptions(
        topic,
        services,
        deadlineMs,
        withPayload,
        duration,
        maxRequests,
        invalidFraction,
        runId,
        seed,
        maxLag,
        interval,
        sink);
  }
}
