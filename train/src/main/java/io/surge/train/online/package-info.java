/**
 * The Flink-free parts of the live policy loop: the guard that lets a candidate policy replace the
 * running one only when the simulator, calibrated by what the job observes, finds it no worse.
 */
package io.surge.train.online;
