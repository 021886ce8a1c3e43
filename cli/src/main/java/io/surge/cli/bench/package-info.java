/**
 * Benchmarks of whole Flink jobs on real parts (an embedded KRaft broker, embedded inference
 * servers): {@link io.surge.cli.bench.JobThroughputBenchmark} behind {@code surge bench job}.
 */
package io.surge.cli.bench;
