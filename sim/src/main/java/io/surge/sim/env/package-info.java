/**
 * The training environment's contract ({@link io.surge.sim.env.SchedulingEnvironment}): one
 * request's decision per step, its reward credited when the request completes. The learner in
 * {@code io.surge.train} trains against it; the simulator implements it. Flink-free.
 */
package io.surge.sim.env;
