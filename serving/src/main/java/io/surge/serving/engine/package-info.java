/**
 * The engine under {@code surge serve}: models of a Triton-style repository ({@link
 * io.surge.serving.engine.ModelRepository}, {@link io.surge.serving.engine.ModelConfig} for {@code
 * config.pbtxt}) run on ONNX Runtime by {@link io.surge.serving.engine.OnnxModelExecutor}, which
 * mirrors Triton's dynamic batcher per model and runs one execution at a time per server, like one
 * GPU, as the simulator assumes.
 */
package io.surge.serving.engine;
