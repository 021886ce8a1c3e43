/**
 * What runs a scheduling policy: the {@link io.surge.policy.SchedulingPolicy} contract
 * (observation, mask, request seed in; action and its probability out, into a reused {@link
 * io.surge.policy.Decision}), one decision end to end ({@link io.surge.policy.DecisionStep}), the
 * deterministic {@link io.surge.policy.Router} and the action sampler. The baselines are in {@code
 * io.surge.policy.baseline}, the ONNX-backed learned policy in {@code io.surge.policy.onnx}. No
 * Flink imports: the simulator and the Flink operator run the same code.
 */
package io.surge.policy;
