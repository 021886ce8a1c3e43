/**
 * Benchmarks of the serving layer ({@code surge bench serving}): the embedded server under
 * closed-loop HTTP load against direct ONNX Runtime calls, dynamic batching on and off, and the
 * batch-size curves of the ladder. They print figures; tests never time anything.
 */
package io.surge.serving.bench;
