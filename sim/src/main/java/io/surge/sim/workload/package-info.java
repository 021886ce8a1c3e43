/**
 * Request arrival processes of the workload specs in DESIGN.md section 6 (Poisson, MMPP, flash
 * crowds, trace replay): parsed once by {@link io.surge.sim.workload.WorkloadSpec#parse}, then
 * seeded {@link io.surge.sim.workload.ArrivalProcess}es for the simulator (virtual time) and the
 * load generator (real time). Each exposes its hidden state for the oracle baseline. Pure Java.
 */
package io.surge.sim.workload;
