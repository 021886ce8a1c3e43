/**
 * A non-blocking KServe v2 HTTP client on the JDK {@code HttpClient}, compatible with NVIDIA
 * Triton: health, metadata, inference (JSON or binary tensors, schedule_policy parameters) and
 * Triton statistics. Failures are typed: {@link io.surge.serving.client.InferenceServerException}
 * and its subtypes for error answers, and separate types for client timeouts, unreachable servers
 * and broken connections.
 */
package io.surge.serving.client;
