/**
 * The learned policy as served: {@link io.surge.policy.onnx.OnnxPolicy} runs an ONNX model that
 * meets the policy-model contract of DESIGN.md section 6 ({@link
 * io.surge.policy.onnx.PolicyModelContract}), after checking untrusted bytes ({@link
 * io.surge.policy.onnx.PolicyRejectedException} says why one is refused). Only running a model
 * lives here; writing one is {@code io.surge.train.export}'s job.
 */
package io.surge.policy.onnx;
