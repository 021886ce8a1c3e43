/**
 * The engine under {@code surge serve}: models of a Triton-style repository ({@link
 * io.surge.serving.engine.ModelRepository}, {@link io.surge.serving.engine.ModelConfig} for {@code
 * config.pbtxt}) run by {@link io.surge.serving.engine.DeviceExecutor}, which mirrors Triton's
 * dynamic batcher per model and runs one execution at a time per server, like one GPU, as the
 * simulator assumes. The batches run on ONNX Runtime or on an emulated accelerator ({@link
 * io.surge.serving.engine.EmulatedDevice}: the profiled latency, off the CPU, zeros as outputs).
 */
package io.surge.serving.engine;
