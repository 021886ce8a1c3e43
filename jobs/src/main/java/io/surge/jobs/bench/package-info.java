/**
 * Benchmarks of whole Flink jobs on real parts (an embedded KRaft broker, embedded inference
 * servers): {@link io.surge.jobs.bench.JobThroughputBenchmark} behind {@code surge bench job}.
 */
package io.surge.jobs.bench;
