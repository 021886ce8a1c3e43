/**
 * A small scheduling problem solved exactly, to measure how close PPO gets to the optimum: one FIFO
 * server, two variants, a two-phase Markov-modulated arrival process in discrete time ({@link
 * io.surge.train.exact.SingleServerMdp}), its optimal average reward per request by relative value
 * iteration ({@link io.surge.train.exact.RelativeValueIteration}), and the same process as a {@link
 * io.surge.sim.env.SchedulingEnvironment} to train on ({@link
 * io.surge.train.exact.SingleServerEnvironment}).
 */
package io.surge.train.exact;
