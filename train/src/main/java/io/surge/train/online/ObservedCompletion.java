package io.surge.train.online;

/**
 * One answer the job observed (a {@code completions} record): which server ran which variant, and
 * how long the request took from its creation.
 *
 * @param status {@code OK}, {@code LATE} or {@code FAILED}
 * @param latencyMs end to end, creation to answer
 */
public record ObservedCompletion(
    String requestId,
    String service,
    String server,
    String variant,
    String status,
    double latencyMs,
    long completedAtMillis) {}
