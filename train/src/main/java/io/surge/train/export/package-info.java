/**
 * Writing a trained policy network as an ONNX model that meets the policy-model contract ({@link
 * io.surge.train.export.PolicyModelWriter}). With what learns a policy, not with what runs one, so
 * the scheduler never depends on training code (DESIGN.md section 3).
 */
package io.surge.train.export;
