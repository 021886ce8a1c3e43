/**
 * Every benchmark driver, behind {@code surge bench}: the embedded inference server under
 * closed-loop load ({@link io.surge.cli.bench.ServingBenchmark}) and the whole scheduling job on
 * real parts against a pass-through job ({@link io.surge.cli.bench.JobThroughputBenchmark}), with
 * prototypes they measure, such as micro-batched calls. Here rather than next to what they measure
 * so that no benchmark code reaches the job jar or the serving library.
 */
package io.surge.cli.bench;
