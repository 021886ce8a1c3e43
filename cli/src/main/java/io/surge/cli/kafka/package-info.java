/**
 * The embedded single-node KRaft broker of the demo, the benchmarks and the end-to-end tests
 * ({@link io.surge.cli.kafka.EmbeddedKafka}). Not part of the job: on a cluster the job talks to a
 * real Kafka, and the topic definitions it needs stay with it ({@link io.surge.jobs.kafka.Topics}).
 */
package io.surge.cli.kafka;
