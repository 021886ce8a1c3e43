/**
 * The Open Inference Protocol (KServe v2) on the wire: request and response model, and the codec
 * for JSON bodies and Triton's binary tensor data extension. Shared by the client and the embedded
 * server; decoding treats every body as hostile and answers with {@link
 * io.surge.serving.protocol.ProtocolException} (HTTP 400) rather than crashing or allocating what a
 * body only claims.
 */
package io.surge.serving.protocol;
