/**
 * The load generator: requests to the requests topic, paced in real time by a workload's arrival
 * process, with optional deliberately invalid records ({@code surge load}, the demo).
 */
package io.surge.cli.load;
