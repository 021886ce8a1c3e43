/**
 * The model ladder generator behind {@code surge models generate}: a Triton-style model repository
 * for one service, with one ONNX model per variant, and its catalog.
 *
 * <ul>
 *   <li>{@link io.surge.serving.ladder.ModelLadder#generate} writes {@code <out>/<variant>/1/
 *       model.onnx}, {@code <out>/<variant>/config.pbtxt} and {@code <out>/catalog.yaml}, as {@link
 *       io.surge.serving.ladder.LadderOptions} say.
 *   <li>The models are residual MLPs on a 3x32x32 image with real seeded weights (Gemm + Relu +
 *       Add, tied block weights); their batch-1 cost follows the ResNet-18..152 ratios on the
 *       calibration machine ({@link io.surge.serving.ladder.LadderTable}), and batching pays off
 *       because a batch-1 Gemm is a matrix-vector product limited by memory traffic.
 *   <li>{@link io.surge.serving.ladder.DirectOrtBenchmark} times a model directly in ONNX Runtime;
 *       {@link io.surge.serving.ladder.LadderCalibrator} refits the depths on another machine.
 * </ul>
 */
package io.surge.serving.ladder;
