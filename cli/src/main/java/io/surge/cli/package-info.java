/**
 * The {@code surge} command line ({@link io.surge.cli.SurgeCli}, the launcher's main class): one
 * small picocli command per user task. Everything that is not a Flink job lives under this package
 * (demo, load generator, benchmarks, embedded broker, the results-topic reader): nothing else
 * depends on it, so it stays out of the shaded job jar and the job graphs in {@code io.surge.jobs}
 * stay small enough to read.
 */
package io.surge.cli;
