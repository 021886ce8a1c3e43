/**
 * The scheduling job: {@link io.surge.jobs.scheduler.SchedulerJob} assembles the graph in one
 * method with injected sources and sinks; stable uids come from {@link
 * io.surge.jobs.scheduler.SchedulerUids}; typed options from {@link
 * io.surge.jobs.config.SurgeOptions}.
 */
package io.surge.jobs.scheduler;
