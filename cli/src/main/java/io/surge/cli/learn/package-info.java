/**
 * The Kafka side of {@code surge learn}: reads the job's {@code experience} (read_committed, from
 * the learner group's committed offsets) and {@code completions} topics into an {@link
 * io.surge.train.online.OnlineLearner}, and publishes what its guard lets through with {@link
 * io.surge.cli.publish.PolicyPublisher}.
 */
package io.surge.cli.learn;
