/**
 * Kafka for Surge: the topic definitions ({@link io.surge.jobs.kafka.Topics}) and the embedded
 * single-node KRaft broker of the demo and the end-to-end tests ({@link
 * io.surge.cli.kafka.EmbeddedKafka}).
 */
package io.surge.jobs.kafka;
