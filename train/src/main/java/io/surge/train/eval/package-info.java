/**
 * Policy evaluation in the simulator ({@code surge evaluate}): every policy on the same seeds
 * (common random numbers), means with Student-t 95 % intervals, paired differences against the best
 * baseline, and the results as JSON and a markdown table.
 */
package io.surge.train.eval;
