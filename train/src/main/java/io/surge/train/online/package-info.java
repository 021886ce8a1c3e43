/**
 * The Flink-free parts of the live policy loop: the guard that lets a candidate policy replace the
 * running one only when the simulator, calibrated by what the job observes, finds it no worse; and
 * the online learner ({@link io.surge.train.online.OnlineLearner}) that keeps that live calibration
 * from the job's transitions and completions and makes the candidates by fine-tuning the running
 * policy. The Kafka side is {@code io.surge.cli.learn} ({@code surge learn}).
 */
package io.surge.train.online;
