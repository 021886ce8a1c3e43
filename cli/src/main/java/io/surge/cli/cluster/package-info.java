/**
 * A real Flink session cluster of separate JVMs on this host, started from Flink's own jars (no
 * distribution needed): a JobManager, TaskManagers that can be SIGKILLed and replaced, {@code flink
 * run} and a {@code bin/flink} for recipes, and the few REST calls that tell whether a job runs,
 * restored and checkpoints. Used by {@code surge chaos --scenario task-manager-kills} and the
 * cluster ITCases.
 */
package io.surge.cli.cluster;
