/**
 * The scheduling job's inference invoker: {@link io.surge.operators.invoke.InferenceInvoker}, an
 * async function that calls the chosen inference server for each dispatch and turns every outcome
 * (answer, late answer, timeout, server error, open circuit) into exactly one {@code
 * InferenceResult}. The call goes through {@link io.surge.operators.invoke.InferenceCall} so tests
 * drive it with futures they complete; per-server {@link io.surge.operators.invoke.CircuitBreaker}s
 * (Flink-free) refuse calls to failing servers and publish a {@link
 * io.surge.operators.invoke.ServerHealth} view as metrics.
 */
package io.surge.operators.invoke;
