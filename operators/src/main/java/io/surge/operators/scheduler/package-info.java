/**
 * The scheduler operator: keyed by service, it keeps the observed workload state and the pending
 * decisions in keyed state (descriptors and TTL in {@link
 * io.surge.operators.scheduler.SchedulerState}), decides with the broadcast policy or the fallback
 * heuristic, and closes each decision with a transition once its completion comes back through
 * Kafka.
 */
package io.surge.operators.scheduler;
