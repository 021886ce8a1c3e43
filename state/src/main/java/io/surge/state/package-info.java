/**
 * The model of the world the scheduler sees, shared by the simulator (training) and the Flink
 * operator (serving): per-service workload estimators ({@link io.surge.state.WorkloadState}, {@link
 * io.surge.state.WorkloadTracker}), the observation vector and its spec ({@link
 * io.surge.state.ObservationBuilder}, {@link io.surge.state.ObservationSpec}), the action mask and
 * service-time predictions ({@link io.surge.state.LatencyTable}). No Flink imports; nothing on the
 * decision path allocates.
 */
package io.surge.state;
