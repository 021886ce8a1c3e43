/**
 * Scheduling policies: the {@link io.surge.policy.SchedulingPolicy} contract (observation, mask,
 * request seed in; action and its probability out, into a reused {@link io.surge.policy.Decision}),
 * the deterministic {@link io.surge.policy.Router}, the baselines of DESIGN.md section 7 ({@link
 * io.surge.policy.baseline.Policies}), and the ONNX-backed learned policy ({@link
 * io.surge.policy.onnx.OnnxPolicy}, written by {@link io.surge.train.export.PolicyModelWriter}). No
 * Flink imports: the simulator and the Flink operator run the same code.
 */
package io.surge.policy;
