/**
 * The job's topics and their settings ({@link io.surge.jobs.kafka.Topics}): the one place their
 * names are defined, used by the job's sources and sinks, {@code surge topics create}, the demo and
 * the tests.
 */
package io.surge.jobs.kafka;
