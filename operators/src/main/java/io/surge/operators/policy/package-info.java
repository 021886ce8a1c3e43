/**
 * The policy validator in front of the broadcast: an invalid or older policy is rejected once, with
 * a log line, a metric and a dead letter, and never reaches the scheduler.
 */
package io.surge.operators.policy;
