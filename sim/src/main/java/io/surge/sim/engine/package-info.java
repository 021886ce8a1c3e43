/**
 * The discrete-event simulator of one service on its edge servers (DESIGN.md sections 1 and 8):
 * Triton-style dynamic batching per (variant, server), one execution at a time per server,
 * deadlines, the costs the real job adds (Kafka and Flink delays, protocol overhead, the completion
 * loop), and hidden disturbances. Decisions go through the same {@link
 * io.surge.policy.DecisionStep} the Flink operator uses. Deterministic for a seed; nothing is
 * allocated per request.
 */
package io.surge.sim.engine;
