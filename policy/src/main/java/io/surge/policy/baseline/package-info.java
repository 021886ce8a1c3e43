/**
 * The heuristic baselines of DESIGN.md section 7 ({@code largest}, {@code smallest}, {@code
 * greedy-slo}, {@code threshold}, {@code proteus-like}), by name through {@link
 * io.surge.policy.baseline.Policies}. {@code greedy-slo} is also the scheduler's fallback when no
 * learned policy is loaded. Apart from the policy contract in {@code io.surge.policy} so that every
 * evaluation and the scheduler name the same code. Tuned parameters ship in {@code
 * deploy/policies/baselines.yaml} ({@link io.surge.policy.baseline.BaselineParameters}).
 */
package io.surge.policy.baseline;
